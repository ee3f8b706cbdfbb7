package org.taskbert.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPosition;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.CategoryLabelWidthType;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.text.TextBlockAnchor;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.statistics.HistogramType;

/**
 * Renders bar charts and histograms as PNG images (JFreeChart, headless), 800×450 px (horizontal bars taller, 28 px a
 * row) with large, plain fonts.
 */
public final class Charts {
    public static final int WIDTH = 800;
    public static final int HEIGHT = 450;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 20);
    private static final Font AXIS_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font VALUE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Color GRID = new Color(0xDDDDDD);
    /** Colour-blind-friendly palette (Okabe–Ito, reordered). */
    private static final Color[] PALETTE = {
        new Color(0x0072B2),
        new Color(0xE69F00),
        new Color(0x009E73),
        new Color(0xCC79A7),
        new Color(0x56B4E9),
        new Color(0xD55E00),
        new Color(0xF0E442),
        new Color(0x555555)
    };
    /** Above this many bars, values are not written on them. */
    private static final int MAX_LABELLED_BARS = 40;

    private Charts() {}

    /**
     * Bars grouped by category, one colour per series (e.g. categories = poolings, series = raw / whitened / probe).
     * Each series has one value per category; NaN leaves a gap.
     */
    public static byte[] groupedBars(
            String title, String yLabel, List<String> categories, LinkedHashMap<String, double[]> series) {
        return bars(title, yLabel, categories, series, PlotOrientation.VERTICAL);
    }

    private static byte[] bars(
            String title,
            String yLabel,
            List<String> categories,
            LinkedHashMap<String, double[]> series,
            PlotOrientation orientation) {
        if (categories.isEmpty() || series.isEmpty()) {
            throw new IllegalArgumentException("a bar chart needs at least one category and one series");
        }
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        List<Double> values = new ArrayList<>();
        for (Map.Entry<String, double[]> s : series.entrySet()) {
            double[] v = s.getValue();
            if (v.length != categories.size()) {
                throw new IllegalArgumentException("series '" + s.getKey() + "' has " + v.length + " values for "
                        + categories.size() + " categories");
            }
            for (int i = 0; i < v.length; i++) {
                data.addValue(Double.isFinite(v[i]) ? v[i] : null, s.getKey(), categories.get(i));
                values.add(v[i]);
            }
        }
        JFreeChart chart =
                ChartFactory.createBarChart(title, null, yLabel, data, orientation, series.size() > 1, false, false);
        styleBars(chart, categories, values);
        boolean horizontal = orientation == PlotOrientation.HORIZONTAL;
        return png(chart, WIDTH, horizontal ? Math.max(HEIGHT, 110 + 28 * categories.size()) : HEIGHT);
    }

    /**
     * One bar per entry, in the map's order. Names too long to stand under their bars (a report's embeddings) get
     * horizontal bars: one name a row, whole, and the chart as tall as its rows need.
     */
    public static byte[] bars(String title, String yLabel, LinkedHashMap<String, Double> values) {
        LinkedHashMap<String, double[]> series = new LinkedHashMap<>();
        series.put(
                yLabel == null ? "value" : yLabel,
                values.values().stream()
                        .mapToDouble(v -> v == null ? Double.NaN : v)
                        .toArray());
        List<String> categories = new ArrayList<>(values.keySet());
        return bars(
                title,
                yLabel,
                categories,
                series,
                longLabels(categories) ? PlotOrientation.HORIZONTAL : PlotOrientation.VERTICAL);
    }

    /** Whether category names this long would overlap side by side (they are then slanted, or laid out in rows). */
    private static boolean longLabels(List<String> categories) {
        return categories.stream().mapToInt(String::length).sum() > 90;
    }

    /**
     * Overlaid, semi-transparent histograms of each sample over {@code bins} equal bins of [min, max] (e.g. cosines
     * of similar vs dissimilar pairs). Heights are the share of each sample, so samples of different sizes compare;
     * the legend gives each sample's size. Values outside [min, max] count in the edge bins; NaN and infinite
     * values are dropped.
     */
    public static byte[] histograms(
            String title, String xLabel, LinkedHashMap<String, double[]> samples, double min, double max, int bins) {
        if (!(min < max) || bins < 1 || samples.isEmpty()) {
            throw new IllegalArgumentException("histograms need min < max, bins >= 1 and a sample, got min=" + min
                    + " max=" + max + " bins=" + bins + " samples=" + samples.size());
        }
        HistogramDataset data = new HistogramDataset();
        data.setType(HistogramType.RELATIVE_FREQUENCY);
        for (Map.Entry<String, double[]> s : samples.entrySet()) {
            double[] finite =
                    Arrays.stream(s.getValue()).filter(Double::isFinite).toArray();
            if (finite.length == 0) {
                throw new IllegalArgumentException("sample '" + s.getKey() + "' has no finite values");
            }
            data.addSeries(s.getKey() + " (n=" + String.format("%,d", finite.length) + ")", finite, bins, min, max);
        }
        JFreeChart chart = ChartFactory.createHistogram(
                title, xLabel, "share of values", data, PlotOrientation.VERTICAL, true, false, false);
        style(chart);
        XYPlot plot = chart.getXYPlot();
        plot.setForegroundAlpha(0.55f);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinePaint(GRID);
        plot.getDomainAxis().setRange(min, max);
        styleAxis(plot.getDomainAxis());
        styleAxis(plot.getRangeAxis());
        XYBarRenderer renderer = (XYBarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDrawBarOutline(false);
        for (int i = 0; i < samples.size(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        return png(chart, WIDTH, HEIGHT);
    }

    /** Any chart as PNG bytes. */
    public static byte[] png(JFreeChart chart, int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ChartUtils.writeChartAsPNG(out, chart, width, height);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen for an in-memory stream
        }
        return out.toByteArray();
    }

    private static void styleBars(JFreeChart chart, List<String> categories, List<Double> values) {
        style(chart);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setRangeGridlinePaint(GRID);
        boolean horizontal = plot.getOrientation() == PlotOrientation.HORIZONTAL;
        CategoryAxis x = plot.getDomainAxis();
        styleAxis(x);
        x.setMaximumCategoryLabelLines(horizontal ? 1 : 2);
        if (horizontal) {
            // Names on the left may take half the chart's width (JFreeChart's default, 30%, cuts a run's name short).
            x.setCategoryLabelPositions(CategoryLabelPositions.replaceLeftPosition(
                    CategoryLabelPositions.STANDARD,
                    new CategoryLabelPosition(
                            RectangleAnchor.RIGHT, TextBlockAnchor.CENTER_RIGHT, CategoryLabelWidthType.RANGE, 0.5f)));
            plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_LEFT);
        } else if (longLabels(categories)) {
            x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        }
        ValueAxis y = plot.getRangeAxis();
        styleAxis(y);
        y.setUpperMargin(0.12);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.04);
        renderer.setMaximumBarWidth(0.12);
        for (int i = 0; i < plot.getDataset().getRowCount(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        if (values.size() <= MAX_LABELLED_BARS) {
            renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", valueFormat(values)));
            renderer.setDefaultItemLabelFont(VALUE_FONT);
            renderer.setDefaultItemLabelsVisible(true);
            if (plot.getDataset().getRowCount() > 1) {
                // Side by side, a horizontal label wider than its bar is painted over by the next, taller bar
                // (31.74 read as 31.7): upright labels stay within their own bar's width.
                renderer.setDefaultPositiveItemLabelPosition(new ItemLabelPosition(
                        ItemLabelAnchor.OUTSIDE12, TextAnchor.CENTER_LEFT, TextAnchor.CENTER_LEFT, -Math.PI / 2));
                renderer.setDefaultNegativeItemLabelPosition(new ItemLabelPosition(
                        ItemLabelAnchor.OUTSIDE6, TextAnchor.CENTER_RIGHT, TextAnchor.CENTER_RIGHT, -Math.PI / 2));
                y.setUpperMargin(0.2);
            } else if (horizontal) {
                renderer.setDefaultPositiveItemLabelPosition(
                        new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
                renderer.setDefaultNegativeItemLabelPosition(
                        new ItemLabelPosition(ItemLabelAnchor.OUTSIDE9, TextAnchor.CENTER_RIGHT));
            } else {
                renderer.setDefaultPositiveItemLabelPosition(
                        new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
                renderer.setDefaultNegativeItemLabelPosition(
                        new ItemLabelPosition(ItemLabelAnchor.OUTSIDE6, TextAnchor.TOP_CENTER));
            }
            if (values.stream().anyMatch(v -> v < 0)) {
                y.setLowerMargin(0.12);
            }
        }
    }

    /**
     * The figures as the reports' tables print them: two decimals (31.74, 62.10), three below 1, whole
     * numbers with separators from 1000; rounded half up from the shortest decimal of the double, as
     * {@code String.format} rounds (DecimalFormat alone rounds the binary value: 68.175 would read 68.17).
     */
    static NumberFormat valueFormat(List<Double> values) {
        double largest = values.stream()
                .filter(Double::isFinite)
                .mapToDouble(Math::abs)
                .max()
                .orElse(0);
        DecimalFormat f = new DecimalFormat(
                largest >= 1000 ? "#,##0" : largest >= 1 ? "0.00" : "0.000",
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        f.setRoundingMode(RoundingMode.HALF_UP);
        return new NumberFormat() {
            @Override
            public StringBuffer format(double number, StringBuffer to, FieldPosition pos) {
                return Double.isFinite(number)
                        ? f.format(new BigDecimal(Double.toString(number)), to, pos)
                        : f.format(number, to, pos);
            }

            @Override
            public StringBuffer format(long number, StringBuffer to, FieldPosition pos) {
                return f.format(number, to, pos);
            }

            @Override
            public Number parse(String source, ParsePosition pos) {
                return f.parse(source, pos);
            }
        };
    }

    private static void style(JFreeChart chart) {
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.setBackgroundPaint(Color.WHITE);
        if (chart.getTitle() != null) {
            chart.getTitle().setFont(TITLE_FONT);
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemFont(AXIS_FONT);
            legend.setFrame(BlockBorder.NONE);
        }
        chart.getPlot().setBackgroundPaint(Color.WHITE);
        chart.getPlot().setOutlinePaint((Paint) null);
    }

    private static void styleAxis(Axis axis) {
        axis.setLabelFont(AXIS_FONT);
        axis.setTickLabelFont(TICK_FONT);
        axis.setAxisLinePaint(Color.GRAY);
        axis.setAxisLineStroke(new BasicStroke(1f));
    }
}
