package org.taskbert.tasks.siamese;

import com.google.inject.Binder;
import org.taskbert.spi.TaskModule;

/** Registers {@code siamese-nsp}: the note's proposal, sentences encoded alone and scored by inner product. */
public final class SiameseNspModule implements TaskModule {

    @Override
    public String name() {
        return "siamese-nsp";
    }

    @Override
    public void configure(Binder binder) {
        TaskModule.registerTask(binder, "siamese-nsp", SiameseNspConfig.class);
    }
}
