package org.taskbert.tasks.classification;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.taskbert.SharedData;
import org.taskbert.config.ConfigLoader;
import org.taskbert.task.TaskRegistry;
import org.taskbert.train.TrainConfig;

/**
 * The Japanese JNLI config's split of JNLI valid by a seeded hash of the id, against counts computed outside Java from
 * the documented formula (SHA-256 of "42:id", the first 8 bytes as a fraction, under 0.2 to dev):
 *
 * <pre>python3 -c "import json,hashlib,collections; c=collections.Counter()
 * for l in open('../shared/data/nli/jnli/valid.jsonl'):
 *   d=json.loads(l); u=(int.from_bytes(hashlib.sha256(('42:'+d['id']).encode()).digest()[:8],'big')>>11)*2**-53
 *   c[('dev' if u<0.2 else 'train', d['label'])]+=1
 * print(sorted(c.items()))"</pre>
 */
class JnliSplitTest {

    @Test
    void theJnliSplitIsTheDocumentedHashSplit() throws Exception {
        Path jnli = SharedData.path("data/nli/jnli/valid.jsonl");
        Path config =
                Path.of("").toAbsolutePath().getParent().getParent().resolve("configs/ja/classification-jnli.yaml");
        TrainConfig train = new ConfigLoader(List.of(TaskRegistry.discover().jacksonModule()))
                .read(config, TrainConfig.class, List.of("task.corpus=" + jnli))
                .validate(config.toString());
        ClassificationConfig cfg = (ClassificationConfig) train.task();
        assertTrue(cfg.corpusSplit().byIdHash());
        ClassificationData d = ClassificationData.load(cfg);
        assertEquals(List.of("entailment", "contradiction", "neutral"), d.labels());
        assertArrayEquals(new int[] {277, 590, 1079}, d.counts(d.train()));
        assertArrayEquals(new int[] {72, 145, 271}, d.counts(d.dev()));
        assertEquals(0, d.test().size());
        assertEquals(
                List.of("1", "13", "20", "21", "29"),
                d.dev().subList(0, 5).stream().map(LabelledText::id).toList());
        LabelledText first = d.dev().get(0);
        assertEquals("キリンが、木の中から首を出しています。", first.text());
        assertEquals("キリンが木々のあいだから顔を出しています。", first.textPair());
    }
}
