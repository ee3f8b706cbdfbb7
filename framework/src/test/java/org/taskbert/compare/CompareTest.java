package org.taskbert.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.config.ConfigLoader;
import org.taskbert.encoder.Encoder;
import org.taskbert.model.TinyModels;
import org.taskbert.spi.config.ConfigException;

/** {@code taskbert compare} end to end on a tiny random model and synthetic files. */
class CompareTest {

    static final String[] WORDS = {"the", "man", "woman", "is", "playing", "guitar", "dog", "runs", "cat", "sleeps"};

    @TempDir
    Path tmp;

    Path config;

    @BeforeEach
    void files() throws IOException {
        Path model = TinyModels.writeHuggingFace(tmp.resolve("tiny"), 9, true);
        SplittableRandom rnd = new SplittableRandom(1);
        List<String> sts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            sts.add(String.format(
                    "{\"sentence1\": \"%s\", \"sentence2\": \"%s\", \"score\": %.1f}",
                    sentence(rnd), sentence(rnd), rnd.nextDouble() * 5));
        }
        Files.write(tmp.resolve("sts.jsonl"), sts);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp.resolve("corpus.jsonl.gz")))) {
            String[] labels = {"sport", "tech", "politics"};
            for (int d = 0; d < 120; d++) {
                StringBuilder text = new StringBuilder();
                for (int s = 0; s < 6; s++) {
                    text.append(Character.toUpperCase(labels[d % 3].charAt(0)))
                            .append(labels[d % 3].substring(1))
                            .append(' ')
                            .append(sentence(rnd))
                            .append(". ");
                }
                out.write(String.format(
                                "{\"id\": \"d%d\", \"title\": \"t\", \"label\": \"%s\", \"text\": \"%s\"}%n",
                                d, labels[d % 3], text.toString().trim())
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        config = Files.writeString(
                tmp.resolve("cmp.yaml"),
                String.join(
                        "\n",
                        "models: [" + model + "]",
                        "sts: [" + tmp.resolve("sts.jsonl") + "]",
                        "sts_probe: {train: " + tmp.resolve("sts.jsonl") + ", max_pairs: 300}",
                        "whitening: {corpus: " + tmp.resolve("corpus.jsonl.gz") + ", sentences: 300, dims: [0, 8]}",
                        "corpus: {file: " + tmp.resolve("corpus.jsonl.gz") + ", nsp_pairs: 300, topic_sentences: 300,"
                                + " min_samples: 100}",
                        "anisotropy_pairs: 200",
                        "output: " + tmp.resolve("report"),
                        ""));
    }

    private static String sentence(SplittableRandom rnd) {
        StringBuilder sb = new StringBuilder(WORDS[rnd.nextInt(WORDS.length)]);
        for (int i = 0; i < 3 + rnd.nextInt(5); i++) {
            sb.append(' ').append(WORDS[rnd.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    private CompareResults.ModelResults run(List<String> overrides) throws IOException {
        CompareConfig cfg =
                new ConfigLoader().read(config, CompareConfig.class, overrides).validate("cmp.yaml");
        return new Comparison(cfg, (task, n) -> Encoder.Progress.NONE)
                .run(cfg.models().get(0));
    }

    @Test
    void everyStudyRunsTheReportIsWrittenAndTheSameSeedGivesTheSameNumbers() throws IOException {
        CompareResults.ModelResults a = run(List.of());
        CompareResults.ModelResults b = run(List.of());
        ObjectMapper json = new ObjectMapper();
        a.seconds = 0;
        b.seconds = 0;
        assertEquals(json.writeValueAsString(a), json.writeValueAsString(b));
        assertEquals(5, a.nsp.size());
        assertEquals(5, a.topic.size());
        // The topic word starts every corpus sentence: the topic probe must find it, for every pooling.
        a.topic.forEach((p, acc) -> assertTrue(acc > 0.6, p + " topic accuracy " + acc));
        assertTrue(a.sts.values().iterator().next().get("cls").containsKey("whitened (corpus, k=8)"));

        CompareResults results = new CompareResults();
        results.config = "cmp.yaml";
        results.models.add(a);
        CompareReport.write(results, tmp.resolve("report"));
        String md = Files.readString(tmp.resolve("report/report.md"));
        assertTrue(md.contains("Verdict") && md.contains("NSP probe accuracy"), md);
        assertTrue(Files.readString(tmp.resolve("report/report.html")).contains("data:image/png;base64,"));

        CompareResults.ModelResults other = run(List.of("seed=7"));
        assertTrue(
                !json.writeValueAsString(other.nsp).equals(json.writeValueAsString(a.nsp))
                        || !json.writeValueAsString(other.topic).equals(json.writeValueAsString(a.topic)),
                "another seed draws other samples");
    }

    /** The committed bert-base-uncased results: a verdict of at most six lines, each with its number, none repeated. */
    @Test
    void theVerdictIsAtMostSixLinesEachWithItsNumber() throws IOException {
        CompareResults results = new ObjectMapper()
                .readValue(
                        Path.of("..", "docs", "compare-bert-base-uncased", "results.json")
                                .toFile(),
                        CompareResults.class);
        List<String> verdict = CompareReport.verdict(results.models.get(0));
        assertTrue(verdict.size() >= 4 && verdict.size() <= 6, String.join("\n", verdict));
        for (String line : verdict) {
            assertTrue(line.matches(".*\\d+\\.\\d.*"), "no figure in: " + line);
        }
        assertEquals(verdict.size(), verdict.stream().distinct().count());
        String all = String.join("\n", verdict);
        assertTrue(all.contains("best `first_last_avg` (stsb/dev.jsonl 68.17, sick/trial.jsonl 66.05)"), all);
        assertTrue(all.contains("`cls` 31.74 → 65.92"), all);
        assertTrue(all.contains("The note's suspicion holds"), all);
        String details = String.join("\n", CompareReport.details(results.models.get(0)));
        assertEquals(1, details.split("held raw cosine back", -1).length - 1, details);
    }

    @Test
    void badConfigsNameTheFieldOrPath() throws IOException {
        ConfigLoader loader = new ConfigLoader();
        Files.writeString(config, Files.readString(config) + "bogus: 1\n");
        var unknown = assertThrows(ConfigException.class, () -> loader.read(config, CompareConfig.class, List.of()));
        assertTrue(unknown.getMessage().contains("unknown field 'bogus'"), unknown.getMessage());

        var wrongType = assertThrows(
                ConfigException.class,
                () -> loader.read(config, CompareConfig.class, List.of("bogus=null", "corpus.nsp_pairs=many")));
        assertTrue(wrongType.getMessage().contains("corpus.nsp_pairs"), wrongType.getMessage());

        Files.writeString(config, Files.readString(config).replace("bogus: 1\n", ""));
        var missing = assertThrows(
                ConfigException.class,
                () -> loader.read(config, CompareConfig.class, List.of("whitening.corpus=/nonexistent/wiki.jsonl.gz"))
                        .validate("cmp.yaml"));
        assertTrue(
                missing.getMessage().contains("whitening.corpus")
                        && missing.getMessage().contains("/nonexistent"),
                missing.getMessage());
    }

    @Test
    void aCorpusTooSmallForTheProbeSaysSoInsteadOfReportingANumber() {
        var e = assertThrows(IllegalArgumentException.class, () -> run(List.of("corpus.min_samples=5000")));
        assertTrue(e.getMessage().contains("NSP probe") && e.getMessage().contains("5000"), e.getMessage());
    }

    /**
     * A Japanese corpus without topic labels, split with {@code locale: ja}: the NSP probe runs on its sentences, the
     * topic probe is not run (and says so), and the verdict tests the NSP half alone. The tiny model's vocabulary
     * has no kana, so the texts are mostly [UNK]; what is checked is the splitting and the report, not the vectors.
     */
    @Test
    void anUnlabelledJapaneseCorpusGetsTheNspProbeAndNoTopicProbe() throws IOException {
        SplittableRandom rnd = new SplittableRandom(3);
        String[] words = {"猫", "犬", "空", "海", "山", "川", "本", "道"};
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp.resolve("ja.jsonl.gz")))) {
            for (int d = 0; d < 80; d++) {
                StringBuilder text = new StringBuilder();
                for (int s = 0; s < 6; s++) {
                    text.append("「");
                    for (int w = 0; w < 3 + rnd.nextInt(4); w++) {
                        text.append(words[rnd.nextInt(words.length)]).append("が");
                    }
                    // 。 inside the quotation does not end the sentence; the one after と言った does
                    text.append("見えた。」と言った。");
                }
                out.write(String.format("{\"id\": \"j%d\", \"title\": \"t\", \"text\": \"%s\"}%n", d, text)
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        String ja = tmp.resolve("ja.jsonl.gz").toString();
        CompareResults.ModelResults r =
                run(List.of("locale=ja", "corpus.file=" + ja, "whitening.corpus=" + ja, "corpus.min_samples=50"));
        assertEquals(5, r.nsp.size());
        assertTrue(r.topic.isEmpty(), r.topic.toString());
        assertTrue(r.samples.containsKey("topic probe: not run, the corpus has no topic labels"), r.samples.toString());
        // 80 documents of 6 sentences each (the splitter keeps each quotation whole): 5 pairs a document at most
        int nspPairs = ((List<?>) r.samples.get("NSP probe pairs (train / test, split by document)"))
                .stream().mapToInt(o -> (Integer) o).sum();
        assertTrue(nspPairs > 100 && nspPairs <= 300, "NSP pairs " + nspPairs);
        List<String> verdict = CompareReport.verdict(r);
        assertTrue(verdict.stream().anyMatch(l -> l.contains("half tested")), String.join("\n", verdict));
        assertTrue(verdict.stream().noneMatch(l -> l.contains("For topic classification")), String.join("\n", verdict));
        assertEquals(tmp.resolve("sts.jsonl").toString(), r.stsProbeTrain);
        CompareResults results = new CompareResults();
        results.models.add(r);
        CompareReport.write(results, tmp.resolve("ja-report"));
        String md = Files.readString(tmp.resolve("ja-report/report.md"));
        assertTrue(md.contains("| pooling | NSP probe accuracy |\n") && !md.contains("topic probe accuracy"), md);
        assertTrue(md.contains("trained on pairs of " + tmp.resolve("sts.jsonl")), md);

        var e = assertThrows(ConfigException.class, () -> run(List.of("locale=jp")));
        assertTrue(e.getMessage().contains("'locale'") && e.getMessage().contains("Japanese is ja"), e.getMessage());
    }
}
