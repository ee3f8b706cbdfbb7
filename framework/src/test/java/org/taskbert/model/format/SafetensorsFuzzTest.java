package org.taskbert.model.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.taskbert.fuzz.HostileInput;
import org.taskbert.model.Tensor;

/**
 * Fuzzes {@link Safetensors#read} and {@link Safetensors#metadata} with whole files: seeds in
 * {@code SafetensorsFuzzTestInputs/readsOrRefuses/}. A tensor read is as large as its shape says.
 */
class SafetensorsFuzzTest {

    private static final Path FILE = HostileInput.scratch("safetensors").resolve("model.safetensors");

    @FuzzTest(maxDuration = "15s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void readsOrRefuses(byte[] input) throws Exception {
        Files.write(FILE, input);
        HostileInput.mustReadOrRefuse(HostileInput.OWN_OR_IO, () -> {
            for (Map.Entry<String, Tensor> e : Safetensors.read(FILE).entrySet()) {
                long count = Arrays.stream(e.getValue().shape()).reduce(1, Math::multiplyExact);
                assertEquals(count, e.getValue().data().length, e.getKey());
            }
        });
        HostileInput.mustReadOrRefuse(HostileInput.OWN_OR_IO, () -> Safetensors.metadata(FILE));
    }
}
