package org.taskbert.tasks.classification;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.taskbert.spi.ExportSpec;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.Task;
import org.taskbert.spi.TaskConfig;
import org.taskbert.spi.TaskContext;
import org.taskbert.spi.config.ConfigChecks;
import org.taskbert.spi.config.ConfigException;

/**
 * {@code task: {type: classification, ...}}. The data come either from explicit files ({@code train}, {@code dev},
 * optional {@code test}) or from one {@code corpus} split by document ({@code split}); see {@link ClassificationData}.
 * All files are JSON Lines (gzipped if the name ends in {@code .gz}), one example a line.
 *
 * @param train training examples
 * @param dev development examples (evaluated at each evaluation; {@code dev.*} metrics)
 * @param test optional test examples ({@code test.*} metrics)
 * @param corpus instead of train/dev/test: documents with a string {@code id} and optional {@code duplicate_of}
 *     (the id of an earlier exact copy), split as {@code split} says
 * @param split for {@code corpus}: fractions for dev and test, the split's own seed (defaults 0.15, 0.15, 42;
 *     independent of the run's seed, so every run on the corpus sees the same split) and how: {@code by: shuffle}
 *     (default; per label, a seeded shuffle of the documents) or {@code by: id_hash} (each example by a seeded hash
 *     of its {@code id} alone, so the split does not depend on the file's order or on the other examples)
 * @param textField the text's field (default {@code text})
 * @param textPairField optional second text's field: examples are then pairs, encoded [CLS] a [SEP] b [SEP]
 * @param titleField optional field prepended to the text (a blank line between), e.g. a news article's title
 * @param labelField the label's field (default {@code label})
 * @param labels optional list of the classes, in the order of the head's outputs; every one needs a training
 *     example, and no other label may occur. Without it, the classes are the training labels, sorted
 * @param pooling the vector the head reads: {@code pooler} (default; BERT's pooled_output, as BERT's own
 *     classification fine-tuning), {@code cls} or {@code mean}
 * @param maxExamples optional cap on the training examples: a seeded sample of the training split (dev and test
 *     unchanged)
 */
public record ClassificationConfig(
        Path train,
        Path dev,
        Path test,
        Path corpus,
        Split split,
        String textField,
        String textPairField,
        String titleField,
        String labelField,
        List<String> labels,
        Pooling pooling,
        Integer maxExamples)
        implements TaskConfig {

    /** Fractions of the corpus's duplicate groups sent to dev and to test; the split's seed; and its method. */
    public record Split(Double dev, Double test, Long seed, String by) {
        /** The methods of {@code split.by}. */
        public static final List<String> METHODS = List.of("shuffle", "id_hash");

        public Split {
            dev = dev == null ? 0.15 : dev;
            test = test == null ? 0.15 : test;
            seed = seed == null ? 42L : seed;
            by = by == null ? "shuffle" : by;
        }

        public Split(Double dev, Double test, Long seed) {
            this(dev, test, seed, null);
        }

        public boolean byIdHash() {
            return by.equals("id_hash");
        }
    }

    public ClassificationConfig {
        textField = textField == null ? "text" : textField;
        labelField = labelField == null ? "label" : labelField;
        pooling = pooling == null ? Pooling.POOLER : pooling;
        labels = labels == null ? null : List.copyOf(labels);
    }

    /** The split in effect: the configured one, or the defaults for a corpus. */
    public Split corpusSplit() {
        return split == null ? new Split(null, null, null) : split;
    }

    @Override
    public void validate(String name) {
        if ((train == null) == (corpus == null)) {
            throw new ConfigException(name + ": give either 'task.train' (with 'task.dev') or 'task.corpus' (with"
                    + " 'task.split'), " + (train == null ? "neither was given" : "not both"));
        }
        if (corpus != null) {
            ConfigChecks.requireFile(name, "task.corpus", corpus);
            if (dev != null || test != null) {
                throw new ConfigException(name + ": field '" + (dev != null ? "task.dev" : "task.test")
                        + "' does not go" + " with 'task.corpus', whose dev and test parts come from 'task.split'");
            }
            Split s = corpusSplit();
            if (!(s.dev() > 0 && s.dev() < 1)) {
                throw new ConfigException(name + ": field 'task.split.dev' must be in (0, 1), got " + s.dev());
            }
            if (!(s.test() >= 0 && s.test() < 1)) {
                throw new ConfigException(name + ": field 'task.split.test' must be in [0, 1), got " + s.test());
            }
            if (!Split.METHODS.contains(s.by())) {
                throw new ConfigException(
                        name + ": field 'task.split.by' must be one of " + Split.METHODS + ", got '" + s.by() + "'");
            }
            if (s.dev() + s.test() >= 1) {
                throw new ConfigException(name + ": fields 'task.split.dev' + 'task.split.test' must be under 1, got "
                        + (s.dev() + s.test()));
            }
        } else {
            ConfigChecks.requireFile(name, "task.train", train);
            ConfigChecks.requireFile(name, "task.dev", dev);
            if (test != null) {
                ConfigChecks.requireFile(name, "task.test", test);
            }
            if (split != null) {
                throw new ConfigException(name + ": field 'task.split' goes with 'task.corpus' only; 'task.train'"
                        + " comes with its own 'task.dev' and 'task.test'");
            }
        }
        nonBlank(name, "task.text_field", textField);
        nonBlank(name, "task.label_field", labelField);
        if (textPairField != null) {
            nonBlank(name, "task.text_pair_field", textPairField);
        }
        if (titleField != null) {
            nonBlank(name, "task.title_field", titleField);
        }
        if (labels != null) {
            if (labels.size() < 2) {
                throw new ConfigException(name + ": field 'task.labels' must list at least 2 classes, got " + labels);
            }
            HashSet<String> seen = new HashSet<>();
            for (String l : labels) {
                nonBlank(name, "task.labels", l);
                if (!seen.add(l)) {
                    throw new ConfigException(name + ": field 'task.labels' lists '" + l + "' twice");
                }
            }
        }
        ConfigChecks.requirePooling(name, "task.pooling", pooling, Pooling.POOLER, Pooling.CLS, Pooling.MEAN);
        if (maxExamples != null) {
            ConfigChecks.requirePositive(name, "task.max_examples", maxExamples);
        }
    }

    private static void nonBlank(String name, String field, String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(name + ": field '" + field + "' must not be empty");
        }
    }

    @Override
    public ExportSpec exportSpec() {
        return new ExportSpec(pooling);
    }

    @Override
    public Task create(TaskContext context) throws IOException {
        return new ClassificationTask(this, ClassificationData.load(this), context);
    }
}
