package org.taskbert.tasks.document;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.taskbert.SharedData;
import org.taskbert.config.ConfigLoader;
import org.taskbert.task.TaskRegistry;
import org.taskbert.train.TrainConfig;

/** The worked BBC configs read and validate (the corpus resolved against the repository root); nothing is run. */
class WorkedConfigsTest {

    @Test
    void theBbcConfigsAreValid() {
        Path root = Path.of("..", "..");
        ConfigLoader loader = new ConfigLoader(List.of(TaskRegistry.discover().jacksonModule()));
        for (String objective : List.of("classification", "contrastive")) {
            Path file = root.resolve("configs").resolve("document-bbc-" + objective + ".yaml");
            TrainConfig c = loader.read(file, TrainConfig.class, List.of());
            DocumentConfig t = (DocumentConfig) c.task();
            assertEquals(objective, org.taskbert.spi.config.ConfigChecks.name(t.objective()));
            assertEquals(0, c.training().trainLayers(), "a frozen sentence encoder needs train_layers: 0");
            assertEquals(false, c.training().trainPooler());
            assertEquals(Path.of("../shared/data/corpus/bbc_news.jsonl.gz"), t.corpus());
            SharedData.path("data/corpus/bbc_news.jsonl.gz");
            new TrainConfig(
                            c.model(),
                            new DocumentConfig(
                                    root.resolve(t.corpus()),
                                    t.maxDocs(),
                                    t.locale(),
                                    t.testFraction(),
                                    t.splitSeed(),
                                    t.sentenceEncoder(),
                                    t.sentencePooling(),
                                    t.maxSentences(),
                                    t.maxLength(),
                                    t.objective(),
                                    t.views(),
                                    t.temperature(),
                                    t.layers(),
                                    t.heads(),
                                    t.ffnSize(),
                                    t.documentPooling(),
                                    t.baselines(),
                                    t.tfidfMaxFeatures(),
                                    t.kmeansRestarts(),
                                    t.cacheDir()),
                            c.training(),
                            c.seed(),
                            c.output())
                    .validate(file.toString());
        }
    }
}
