package org.taskbert.plugins.stsregression;

import com.google.inject.Binder;
import org.taskbert.spi.TaskModule;

/** Registers {@code sts-regression}: the cosine of two siamese vectors trained to match STS scores. */
public final class StsRegressionModule implements TaskModule {

    @Override
    public String name() {
        return "sts-regression";
    }

    @Override
    public void configure(Binder binder) {
        TaskModule.registerTask(binder, "sts-regression", StsRegressionConfig.class);
    }
}
