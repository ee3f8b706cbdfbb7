package org.taskbert.tasks.document;

import com.google.inject.Binder;
import org.taskbert.spi.TaskModule;

/** Registers {@code document}: document vectors from an attention layer over the sentence vectors. */
public final class DocumentModule implements TaskModule {

    @Override
    public String name() {
        return "document";
    }

    @Override
    public void configure(Binder binder) {
        TaskModule.registerTask(binder, "document", DocumentConfig.class);
    }
}
