package org.taskbert.train;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SameDiff M2.1 prints "Added differentiated op ..." with {@code System.out.println} (not a logger) whenever it
 * builds a gradient function, which buries the progress bar; this sends what a call prints to the debug log instead.
 */
final class LibraryOutput {

    private static final Logger LOG = LoggerFactory.getLogger("org.nd4j.autodiff.samediff.SameDiff");

    private LibraryOutput() {}

    static synchronized <T> T toDebugLog(Supplier<T> call) {
        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return call.get();
        } finally {
            System.setOut(console);
            if (captured.size() > 0 && LOG.isDebugEnabled()) {
                captured.toString(StandardCharsets.UTF_8).lines().forEach(LOG::debug);
            }
        }
    }
}
