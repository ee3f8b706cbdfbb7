package org.taskbert.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.taskbert.encoder.Encoder;

/** A console progress bar (count, rate, ETA) that an encoder reports to. */
final class ProgressBars {

    private ProgressBars() {
    }

    static ProgressBar open(String task, long total, String unit) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.ASCII).showSpeed().setUpdateIntervalMillis(500).continuousUpdate()
                .build();
    }

    static Encoder.Progress reporter(ProgressBar bar) {
        return bar::stepTo;
    }
}
