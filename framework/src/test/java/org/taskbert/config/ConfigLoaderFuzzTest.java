package org.taskbert.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.inject.Binder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.taskbert.compare.CompareConfig;
import org.taskbert.fuzz.HostileInput;
import org.taskbert.spi.ExportSpec;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.Task;
import org.taskbert.spi.TaskConfig;
import org.taskbert.spi.TaskContext;
import org.taskbert.spi.TaskModule;
import org.taskbert.spi.config.ConfigChecks;
import org.taskbert.task.TaskRegistry;
import org.taskbert.train.TrainConfig;

/**
 * Fuzzes the config loader with YAML files, each read as a training config (with a task type registered as a plugin
 * registers one) and as a compare config, and validated, as {@code taskbert train} and {@code taskbert compare} do. A
 * first line {@code #--set key.path=value} is also given as a {@code --set} override. Seeds:
 * {@code ConfigLoaderFuzzTestInputs/loadsOrRefuses/}.
 */
class ConfigLoaderFuzzTest {

    private static final String SET = "#--set ";
    private static final Path FILE = HostileInput.scratch("config").resolve("config.yaml");
    private static final ConfigLoader LOADER = new ConfigLoader(
            List.of(TaskRegistry.of(List.of(new FuzzTaskModule())).jacksonModule()));

    @FuzzTest(maxDuration = "15s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void loadsOrRefuses(byte[] input) throws Exception {
        Files.write(FILE, input);
        String text = new String(input, StandardCharsets.UTF_8);
        int eol = text.indexOf('\n') < 0 ? text.length() : text.indexOf('\n');
        List<String> overrides = text.startsWith(SET) ? List.of(text.substring(SET.length(), eol)) : List.of();
        HostileInput.mustReadOrRefuse(HostileInput.OWN, () -> {
            LOADER.read(FILE, TrainConfig.class, overrides).validate("config.yaml");
            LOADER.merged(FILE, overrides);
        });
        HostileInput.mustReadOrRefuse(
                HostileInput.OWN,
                () -> LOADER.read(FILE, CompareConfig.class, overrides).validate("config.yaml"));
    }

    /** A task section with the kinds of fields plugins have: a path, a pooling, numbers, a list, a nested record. */
    record FuzzTaskConfig(Path corpus, Pooling pooling, Integer examples, List<Double> weights, Split split)
            implements TaskConfig {

        record Split(Double dev, Long seed) {}

        @Override
        public void validate(String configName) {
            if (corpus != null) {
                ConfigChecks.requireFile(configName, "task.corpus", corpus);
            }
            if (examples != null) {
                ConfigChecks.requirePositive(configName, "task.examples", examples);
            }
        }

        @Override
        public ExportSpec exportSpec() {
            return new ExportSpec(pooling == null ? Pooling.CLS : pooling);
        }

        @Override
        public Task create(TaskContext context) {
            throw new UnsupportedOperationException("never trained");
        }
    }

    static final class FuzzTaskModule implements TaskModule {
        @Override
        public String name() {
            return "fuzz";
        }

        @Override
        public void configure(Binder binder) {
            TaskModule.registerTask(binder, "fuzz-task", FuzzTaskConfig.class);
        }
    }
}
