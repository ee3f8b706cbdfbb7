package org.taskbert.cli;

import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taskbert.encoder.Encoder;

/** A console progress bar (count, rate, ETA) that an encoder reports to. */
public final class ProgressBars {

    private static final Logger LOG = LoggerFactory.getLogger("progress");

    private ProgressBars() {}

    /** On a terminal a live bar; in a log (CI, a pipe) one line every 30 seconds instead of a flood of them. */
    static ProgressBar open(String task, long total, String unit) {
        ProgressBarBuilder b = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.ASCII)
                .showSpeed(new java.text.DecimalFormat("0.0"));
        if (System.console() == null) {
            b.setConsumer(new DelegatingProgressBarConsumer(LOG::info)).setUpdateIntervalMillis(30_000);
        } else {
            b.setUpdateIntervalMillis(500).continuousUpdate();
        }
        return b.build();
    }

    static Encoder.Progress reporter(ProgressBar bar) {
        return bar::stepTo;
    }

    /** A bar for {@code total} items that closes itself when the count reaches the total. */
    public static Encoder.Progress start(String task, int total, String unit) {
        ProgressBar bar = open(task, total, unit);
        return done -> {
            bar.stepTo(done);
            if (done >= total) {
                bar.close();
            }
        };
    }
}
