package org.taskbert.tasks.ranking;

import com.google.inject.Binder;
import org.taskbert.spi.TaskModule;

/** Registers {@code pairwise-ranking}: queries matched to their positive among in-batch candidates. */
public final class PairwiseRankingModule implements TaskModule {

    @Override
    public String name() {
        return "pairwise-ranking";
    }

    @Override
    public void configure(Binder binder) {
        TaskModule.registerTask(binder, "pairwise-ranking", PairwiseRankingConfig.class);
    }
}
