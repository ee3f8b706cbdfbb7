package org.taskbert.spi.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The classic reference: TF-IDF vectors, fitted on training documents. Terms are lower-cased runs of letters or
 * digits; the vocabulary is the {@code maxFeatures} terms found in the most training documents (at least 2; ties by
 * term); idf = ln((1 + N) / (1 + df)) + 1 (scikit-learn's smooth idf); a vector is raw term count × idf, L2-normalised.
 */
public final class TfIdf {

    private static final Pattern TERM = Pattern.compile("[\\p{L}\\p{N}]+");

    private final Map<String, Integer> vocabulary;
    private final double[] idf;

    private TfIdf(Map<String, Integer> vocabulary, double[] idf) {
        this.vocabulary = vocabulary;
        this.idf = idf;
    }

    public static TfIdf fit(List<String> texts, int maxFeatures) {
        Map<String, Integer> df = new HashMap<>();
        for (String text : texts) {
            counts(text).keySet().forEach(t -> df.merge(t, 1, Integer::sum));
        }
        List<Map.Entry<String, Integer>> terms = new ArrayList<>(df.entrySet());
        terms.removeIf(e -> e.getValue() < 2);
        terms.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        Map<String, Integer> vocabulary = new LinkedHashMap<>();
        double[] idf = new double[Math.min(maxFeatures, terms.size())];
        for (int i = 0; i < idf.length; i++) {
            vocabulary.put(terms.get(i).getKey(), i);
            idf[i] = Math.log((1.0 + texts.size()) / (1.0 + terms.get(i).getValue())) + 1;
        }
        return new TfIdf(vocabulary, idf);
    }

    /** The terms in vocabulary order. */
    public List<String> terms() {
        List<String> out = new ArrayList<>(vocabulary.keySet());
        out.sort(Comparator.comparing(vocabulary::get));
        return out;
    }

    public float[][] transform(List<String> texts) {
        float[][] out = new float[texts.size()][idf.length];
        for (int d = 0; d < texts.size(); d++) {
            double sq = 0;
            for (Map.Entry<String, Integer> e : counts(texts.get(d)).entrySet()) {
                Integer j = vocabulary.get(e.getKey());
                if (j != null) {
                    out[d][j] = (float) (e.getValue() * idf[j]);
                    sq += (double) out[d][j] * out[d][j];
                }
            }
            for (int j = 0; sq > 0 && j < idf.length; j++) {
                out[d][j] = (float) (out[d][j] / Math.sqrt(sq));
            }
        }
        return out;
    }

    private static Map<String, Integer> counts(String text) {
        Map<String, Integer> counts = new HashMap<>();
        Matcher m = TERM.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            counts.merge(m.group(), 1, Integer::sum);
        }
        return counts;
    }
}
