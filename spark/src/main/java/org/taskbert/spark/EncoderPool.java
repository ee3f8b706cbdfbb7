package org.taskbert.spark;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.taskbert.encoder.TextEncoder;

/**
 * The encoders of this executor JVM: one per task running at once (an encoder's buffers serve one caller), created on
 * first need and kept for the executor's later partitions, so the weights are unpacked and loaded once per JVM.
 */
final class EncoderPool {

    private static final Map<String, Queue<TextEncoder>> IDLE = new ConcurrentHashMap<>();

    private EncoderPool() {}

    /** Runs {@code work} with an idle encoder of the model at this batch size (a new one when none is idle). */
    static <T> T with(ShippedModel model, int batchSize, java.util.function.Function<TextEncoder, T> work) {
        Queue<TextEncoder> idle =
                IDLE.computeIfAbsent(model.fileName() + "@" + batchSize, k -> new ConcurrentLinkedQueue<>());
        TextEncoder enc = idle.poll();
        if (enc == null) {
            enc = TextEncoder.open(model.load(), batchSize);
        }
        try {
            return work.apply(enc);
        } finally {
            idle.offer(enc);
        }
    }

    /** Closes this JVM's idle encoders of the model (the driver's, in local mode, when its command ends). */
    static void release(ShippedModel model) {
        IDLE.keySet().removeIf(key -> {
            if (!key.startsWith(model.fileName() + "@")) {
                return false;
            }
            Queue<TextEncoder> idle = IDLE.get(key);
            for (TextEncoder enc = idle.poll(); enc != null; enc = idle.poll()) {
                enc.close();
            }
            return true;
        });
        model.forget();
    }
}
