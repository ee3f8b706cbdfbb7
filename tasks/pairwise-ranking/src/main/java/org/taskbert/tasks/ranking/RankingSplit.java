package org.taskbert.tasks.ranking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Examples split into training and dev by article: the dev side is the {@code devSize} examples whose ids have
 * the smallest SHA-256 (of the UTF-8 id, compared as hex strings), so the split depends on neither the file's order
 * nor the run's seed, and anyone can redo it; both sides keep the input order.
 */
public record RankingSplit(List<RankingExample> train, List<RankingExample> dev) {

    public RankingSplit {
        train = List.copyOf(train);
        dev = List.copyOf(dev);
    }

    public static RankingSplit byIdHash(List<RankingExample> examples, int devSize) {
        if (devSize < 1 || devSize >= examples.size()) {
            throw new IllegalArgumentException("a dev set of " + devSize + " needs more than " + devSize
                    + " examples and leaves some for training; there are " + examples.size());
        }
        List<RankingExample> byHash = new ArrayList<>(examples);
        byHash.sort(Comparator.comparing((RankingExample e) -> sha256(e.id())).thenComparing(RankingExample::id));
        Set<RankingExample> dev = Collections.newSetFromMap(new IdentityHashMap<>());
        dev.addAll(byHash.subList(0, devSize));
        List<RankingExample> train = new ArrayList<>();
        List<RankingExample> devInOrder = new ArrayList<>();
        for (RankingExample e : examples) {
            (dev.contains(e) ? devInOrder : train).add(e);
        }
        return new RankingSplit(train, devInOrder);
    }

    static String sha256(String id) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
