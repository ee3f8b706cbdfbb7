package org.taskbert.tasks.cross;

import com.google.inject.Binder;
import org.taskbert.spi.TaskModule;

/** Registers {@code cross-nsp}: BERT's own next-sentence prediction, the control for siamese-nsp. */
public final class CrossNspModule implements TaskModule {

    @Override
    public String name() {
        return "cross-nsp";
    }

    @Override
    public void configure(Binder binder) {
        TaskModule.registerTask(binder, "cross-nsp", CrossNspConfig.class);
    }
}
