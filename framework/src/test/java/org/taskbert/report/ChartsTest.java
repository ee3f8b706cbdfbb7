package org.taskbert.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ChartsTest {
    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    static void assertPng(byte[] png) throws IOException {
        assertArrayEquals(SIGNATURE, Arrays.copyOf(png, 8));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(Charts.WIDTH, image.getWidth());
        assertEquals(Charts.HEIGHT, image.getHeight());
    }

    static byte[] sampleGroupedBars() {
        LinkedHashMap<String, double[]> series = new LinkedHashMap<>();
        series.put("raw", new double[] {0.612, 0.584, 0.431});
        series.put("whitened", new double[] {0.701, 0.688, 0.520});
        series.put("probe", new double[] {0.774, Double.NaN, 0.612});
        return Charts.groupedBars("STS-B dev Spearman by pooling", "Spearman ρ", List.of("mean", "cls", "max"), series);
    }

    @Test
    void groupedBars() throws IOException {
        assertPng(sampleGroupedBars());
        assertThrows(
                IllegalArgumentException.class,
                () -> Charts.groupedBars(
                        "t", "y", List.of("a", "b"), new LinkedHashMap<>(java.util.Map.of("s", new double[] {1}))));
    }

    /** The two figures: the labels read as the tables print them, not 31.7 and 68.1. */
    @Test
    void barLabelsShowTheTablesFigures() {
        var f = Charts.valueFormat(List.of(31.74, 68.17, 15.57, 87.3, 100.0, 0.0));
        assertEquals("31.74", f.format(31.74));
        assertEquals("68.17", f.format(68.17));
        assertEquals(String.format(java.util.Locale.ROOT, "%.2f", 68.175), f.format(68.175));
        assertEquals("87.30", f.format(100 * 0.873));
        assertEquals("62.10", f.format(62.1));
        assertEquals("100.00", f.format(100.0));
        assertEquals("0.612", Charts.valueFormat(List.of(0.612, 0.701)).format(0.612));
        assertEquals("12,345", Charts.valueFormat(List.of(12345.0)).format(12345.4));
    }

    @Test
    void histograms() throws IOException {
        Random random = new Random(1);
        LinkedHashMap<String, double[]> samples = new LinkedHashMap<>();
        samples.put(
                "similar pairs",
                random.doubles(3000)
                        .map(u -> 0.75 + 0.12 * random.nextGaussian())
                        .toArray());
        samples.put(
                "dissimilar pairs",
                random.doubles(1000)
                        .map(u -> 0.45 + 0.15 * random.nextGaussian())
                        .toArray());
        assertPng(Charts.histograms("Cosine of sentence pairs", "cosine", samples, -0.2, 1.0, 60));
        assertThrows(IllegalArgumentException.class, () -> Charts.histograms("t", "x", samples, 1, 1, 10));
    }

    @Test
    void bars() throws IOException {
        LinkedHashMap<String, Double> values = new LinkedHashMap<>();
        values.put("business", 510.0);
        values.put("entertainment", 386.0);
        values.put("politics", 417.0);
        values.put("sport", 511.0);
        values.put("tech", 401.0);
        assertPng(Charts.bars("BBC News documents per topic", "documents", values));
    }

    @Test
    void barsWithLongNamesAreRowsTallEnoughForEachName() throws IOException {
        LinkedHashMap<String, Double> values = new LinkedHashMap<>();
        for (int i = 0; i < 14; i++) {
            values.put("fine-tuned classification-bbc-12l-150 (step " + i + ")", 90.0 + i * 0.5);
        }
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Charts.bars("task", "dev.accuracy", values)));
        assertEquals(Charts.WIDTH, image.getWidth());
        assertTrue(image.getHeight() > Charts.HEIGHT, "taller than the default for 14 rows: " + image.getHeight());
        // Horizontal bars: each bar is its own band of rows in the bars' colour (vertical bars make one band).
        int bands = 0;
        boolean inBand = false;
        for (int y = 0; y < image.getHeight(); y++) {
            boolean bar = false;
            for (int x = 0; x < image.getWidth() && !bar; x++) {
                bar = (image.getRGB(x, y) & 0xFFFFFF) == 0x0072B2;
            }
            bands += bar && !inBand ? 1 : 0;
            inBand = bar;
        }
        assertEquals(14, bands, "one band of rows a bar");
    }
}
