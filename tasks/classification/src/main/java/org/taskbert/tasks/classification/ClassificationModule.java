package org.taskbert.tasks.classification;

import com.google.inject.Binder;
import org.taskbert.spi.TaskModule;

/** Registers {@code classification}: a text or a text pair to one of C labels, a dense softmax head on a pooling. */
public final class ClassificationModule implements TaskModule {

    @Override
    public String name() {
        return "classification";
    }

    @Override
    public void configure(Binder binder) {
        TaskModule.registerTask(binder, "classification", ClassificationConfig.class);
    }
}
