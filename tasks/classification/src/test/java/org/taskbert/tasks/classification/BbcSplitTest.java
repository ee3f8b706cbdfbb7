package org.taskbert.tasks.classification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.taskbert.SharedData;
import org.taskbert.config.ConfigLoader;
import org.taskbert.task.TaskRegistry;
import org.taskbert.train.TrainConfig;

/** The worked config's split of the real BBC file, against counts taken from the file independently. */
class BbcSplitTest {

    @Test
    void theBbcSplitHasTheDocumentedSizesAndNoCopyOfAnEvaluatedArticleIsTrained() throws Exception {
        Path bbc = SharedData.path("data/corpus/bbc_news.jsonl.gz");
        // the file's own numbers (shared/data/README.md): 2,225 articles, 98 marked exact copies, 5 labels
        Map<String, Integer> originalsPerLabel = new TreeMap<>();
        int docs = 0;
        int copies = 0;
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(Files.newInputStream(bbc)), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                JsonNode n = json.readTree(line);
                docs++;
                if (n.hasNonNull("duplicate_of")) {
                    copies++;
                } else {
                    originalsPerLabel.merge(n.get("label").asText(), 1, Integer::sum);
                }
            }
        }
        assertEquals(2225, docs);
        assertEquals(98, copies);
        assertEquals(5, originalsPerLabel.size());

        // the worked config's own task section, with the corpus where this test finds it
        Path config = Path.of("").toAbsolutePath().getParent().getParent().resolve("configs/classification-bbc.yaml");
        TrainConfig train = new ConfigLoader(List.of(TaskRegistry.discover().jacksonModule()))
                .read(config, TrainConfig.class, List.of("task.corpus=" + bbc))
                .validate(config.toString());
        ClassificationConfig cfg = (ClassificationConfig) train.task();
        assertEquals(new ClassificationConfig.Split(0.15, 0.15, 42L), cfg.corpusSplit());
        ClassificationData d = ClassificationData.load(cfg);
        System.out.println("BBC split of " + config + ":\n" + d.describe());
        assertEquals(List.copyOf(originalsPerLabel.keySet()), d.labels());
        // dev and test hold round(0.15 · originals) of each label, each article once
        int[] expected = originalsPerLabel.values().stream()
                .mapToInt(n -> (int) Math.round(0.15 * n))
                .toArray();
        assertArrayEquals(expected, d.counts(d.dev()));
        assertArrayEquals(expected, d.counts(d.test()));
        assertEquals(docs, d.train().size() + d.dev().size() + d.test().size() + d.droppedDuplicates());
        assertTrue(d.droppedDuplicates() > 0 && d.droppedDuplicates() < copies, "some copies fall in dev/test");
        Set<String> trained = new HashSet<>();
        d.train().forEach(e -> trained.add(e.text()));
        assertTrue(d.dev().stream().noneMatch(e -> trained.contains(e.text())), "a dev article is trained on");
        assertTrue(d.test().stream().noneMatch(e -> trained.contains(e.text())), "a test article is trained on");
        LabelledText first = java.util.stream.Stream.of(d.train(), d.dev(), d.test())
                .flatMap(List::stream)
                .filter(e -> e.id().equals("business/001"))
                .findFirst()
                .orElseThrow();
        assertTrue(first.text().startsWith("Ad sales boost Time Warner profit\n\nQuarterly profits"), first.text());
    }
}
