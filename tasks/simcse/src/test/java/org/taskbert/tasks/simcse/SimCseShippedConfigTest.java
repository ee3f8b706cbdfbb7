package org.taskbert.tasks.simcse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.taskbert.SharedData;
import org.taskbert.config.ConfigLoader;
import org.taskbert.spi.Pooling;
import org.taskbert.task.TaskRegistry;
import org.taskbert.train.TrainConfig;

/** configs/simcse-wikipedia.yaml loads through the real loader and carries its recipe's two vectors. */
class SimCseShippedConfigTest {

    @Test
    void trainsMeanAndScoresAndExportsFirstLastAvg() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent().getParent(); // tasks/simcse -> repo root
        Path yaml = repo.resolve("configs/simcse-wikipedia.yaml");
        TrainConfig cfg = new ConfigLoader(List.of(TaskRegistry.discover().jacksonModule()))
                .read(
                        yaml,
                        TrainConfig.class,
                        List.of( // its ../shared paths, from the repository root
                                "task.corpus=" + SharedData.path("data/corpus/wikipedia_en.jsonl.gz"),
                                "task.eval_sts=[" + SharedData.path("data/sts/stsb/dev.jsonl") + "]"))
                .validate(yaml.toString());
        SimCseConfig task = (SimCseConfig) cfg.task();
        assertEquals(Pooling.MEAN, task.pooling());
        assertEquals(Pooling.FIRST_LAST_AVG, task.evalPooling());
        assertEquals(Pooling.FIRST_LAST_AVG, task.exportSpec().pooling());
        assertEquals("stsb/dev.spearman", cfg.training().bestMetric());
    }
}
