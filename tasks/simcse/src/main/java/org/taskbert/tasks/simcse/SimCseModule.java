package org.taskbert.tasks.simcse;

import com.google.inject.Binder;
import org.taskbert.spi.TaskModule;

/** Registers {@code simcse}: unsupervised SimCSE, a sentence against itself under another dropout mask. */
public final class SimCseModule implements TaskModule {

    @Override
    public String name() {
        return "simcse";
    }

    @Override
    public void configure(Binder binder) {
        TaskModule.registerTask(binder, "simcse", SimCseConfig.class);
    }
}
