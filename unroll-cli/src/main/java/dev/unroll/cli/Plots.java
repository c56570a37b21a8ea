package dev.unroll.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The seed's figures as images (XChart, rendered off-screen): the series with a training instance
 * (§11), instance, target and prediction (§12), two generated sequences side by side (§14), learning
 * curves (§10), and a series with its one-step-ahead predictions ({@code unroll predict}). Figures of
 * two panels are two charts drawn next to each other, as the seed's {@code plt.subplot(121)/(122)}.
 */
final class Plots {
    static final Color BLUE = new Color(0x1f77b4);
    static final Color ORANGE = new Color(0xff7f0e);
    static final Color GREEN = new Color(0x2ca02c);
    static final Color RED = new Color(0xd62728);
    static final Color GREY = new Color(0x7f7f7f);

    private static final int PANEL_WIDTH = 600;
    private static final int PANEL_HEIGHT = 440;
    private static final int MARKER_SIZE = 7;

    private Plots() {
    }

    // ------------------------------------------------------------------ figures

    /**
     * Seed §11: left, the whole series with one training instance drawn thick; right, that instance
     * (circles) and its target, the same window one step ahead (stars).
     *
     * @param x       positions of the series (time, or row index)
     * @param y       the series
     * @param heldOutFrom where the part held out for evaluation starts (drawn grey), or 0 for none
     * @param instanceX {@code steps + 1} positions of the instance and its target
     * @param instanceY the series at those positions
     * @param instanceLabel what the instance is ("A training instance")
     */
    static BufferedImage series(String title, String seriesLabel, String xTitle, double[] x, double[] y, int heldOutFrom,
                                double[] instanceX, double[] instanceY, String instanceLabel) {
        int steps = instanceX.length - 1;
        XYChart left = chart(title, xTitle, "Value");
        if (heldOutFrom > 0 && heldOutFrom < x.length) {
            line(left, seriesLabel + ", trained on", head(x, heldOutFrom), head(y, heldOutFrom), BLUE, 1.5f);
            line(left, "held out", Arrays.copyOfRange(x, heldOutFrom - 1, x.length), Arrays.copyOfRange(y, heldOutFrom - 1, y.length),
                    GREY, 1.5f);
        } else {
            line(left, seriesLabel, x, y, BLUE, 1.5f);
        }
        line(left, instanceLabel, head(instanceX, steps), head(instanceY, steps), ORANGE, 4f);
        left.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        roundTicks(left);

        XYChart right = chart(instanceLabel, xTitle, "Value");
        // As the seed: big blue circles for the instance, white stars on top for the target.
        markers(right, "instance", head(instanceX, steps), head(instanceY, steps), BLUE, SeriesMarkers.CIRCLE, 2.0);
        markers(right, "target", tail(instanceX, steps), tail(instanceY, steps), Color.WHITE, new Star(), 2.0);
        right.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        roundTicks(right);
        return sideBySide(left, right);
    }

    /**
     * Seed §12: the test instance (circles), its target (stars) and the model's prediction (dots),
     * one panel.
     */
    static BufferedImage prediction(String title, String xTitle, double[] instanceX, double[] inputs, double[] targets,
                                    double[] predictions) {
        int steps = inputs.length;
        XYChart c = chart(title, xTitle, "Value", 800, 500);
        markers(c, "instance", head(instanceX, steps), inputs, BLUE, SeriesMarkers.CIRCLE, 2.0);
        markers(c, "target", tail(instanceX, steps), targets, Color.WHITE, new Star(), 2.0);
        markers(c, "prediction", tail(instanceX, steps), predictions, RED, SeriesMarkers.CIRCLE, 0.9);
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        return render(roundTicks(c));
    }

    /**
     * Seed §14: two generated sequences side by side, each with its seed drawn thick.
     *
     * @param seedLengths how many leading values of each sequence are its seed
     */
    static BufferedImage generation(String leftTitle, float[] left, int leftSeed, String rightTitle, float[] right, int rightSeed) {
        return sideBySide(generationPanel(leftTitle, left, leftSeed), generationPanel(rightTitle, right, rightSeed));
    }

    private static XYChart generationPanel(String title, float[] sequence, int seedLength) {
        XYChart c = chart(title, "Time step", "Value");
        double[] x = range(0, sequence.length);
        double[] y = toDouble(sequence);
        // The generated part starts at the last seed value so that the line is unbroken.
        int from = Math.max(0, seedLength - 1);
        line(c, "generated", Arrays.copyOfRange(x, from, x.length), Arrays.copyOfRange(y, from, y.length), BLUE, 1.5f);
        line(c, "seed (" + seedLength + " values)", head(x, seedLength), head(y, seedLength), ORANGE, 4f);
        // Outside: a generated sequence fills the whole plot, and the seed sits in a corner.
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        return roundTicks(c);
    }

    /**
     * Seed §10: loss (train and test) and accuracy (train and test) per epoch, side by side.
     */
    static BufferedImage learningCurves(String title, double[] epochs, double[] trainLoss, double[] testLoss,
                                        double[] trainAccuracy, double[] testAccuracy) {
        XYChart loss = chart("Loss (" + title + ")", "Epoch", "Cross-entropy");
        lineWithMarkers(loss, "train", epochs, trainLoss, BLUE);
        lineWithMarkers(loss, "test", epochs, testLoss, ORANGE);
        loss.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        loss.getStyler().setXAxisDecimalPattern("#");

        XYChart accuracy = chart("Accuracy (" + title + ")", "Epoch", "Top-1 accuracy");
        lineWithMarkers(accuracy, "train", epochs, trainAccuracy, BLUE);
        lineWithMarkers(accuracy, "test", epochs, testAccuracy, ORANGE);
        accuracy.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        accuracy.getStyler().setXAxisDecimalPattern("#");
        return sideBySide(loss, accuracy);
    }

    /**
     * A series and the model's one-step-ahead predictions ({@code unroll predict}); when the series is
     * long, a second panel shows its last {@code zoom} positions.
     *
     * @param values      the series, at positions {@code 0 .. n-1}
     * @param predictions the prediction of each position {@code 1 .. n} (index 0 unused), {@code n} being
     *                    the value after the series
     */
    static BufferedImage oneStepPredictions(String title, double[] values, double[] predictions, int zoom) {
        if (values.length <= zoom * 3 / 2) {
            return render(predictionsPanel(title, values, predictions, 0, 1000, 500));
        }
        XYChart all = predictionsPanel(title, values, predictions, 0, PANEL_WIDTH, PANEL_HEIGHT);
        XYChart last = predictionsPanel("Last " + zoom + " positions", values, predictions, values.length - zoom,
                PANEL_WIDTH, PANEL_HEIGHT);
        return sideBySide(all, last);
    }

    private static XYChart predictionsPanel(String title, double[] values, double[] predictions, int from, int width,
                                            int height) {
        XYChart c = chart(title, "Index", "Value", width, height);
        line(c, "series", range(from, values.length), Arrays.copyOfRange(values, from, values.length), BLUE, 1.5f);
        int first = Math.max(1, from);
        XYSeries p = line(c, "one-step prediction", range(first, predictions.length),
                Arrays.copyOfRange(predictions, first, predictions.length), RED, 1.5f);
        p.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f));
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        return roundTicks(c);
    }

    // ------------------------------------------------------------------ building blocks

    /** A chart with the house style: white, light grid, readable fonts. */
    static XYChart chart(String title, String xTitle, String yTitle) {
        return chart(title, xTitle, yTitle, PANEL_WIDTH, PANEL_HEIGHT);
    }

    static XYChart chart(String title, String xTitle, String yTitle, int width, int height) {
        XYChart c = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        var s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderColor(GREY);
        s.setPlotGridLinesColor(new Color(0xe0e0e0));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setLegendBorderColor(new Color(0xc0c0c0));
        s.setLegendBackgroundColor(new Color(255, 255, 255, 220));
        s.setChartTitleBoxVisible(false);
        s.setMarkerSize(MARKER_SIZE);
        s.setAntiAlias(true);
        s.setChartPadding(12);
        s.setXAxisDecimalPattern("#,##0.##");
        return c;
    }

    /**
     * Round-numbered x ticks. XChart puts the ticks on data values when all x values of a chart are
     * equally spaced (12.2, 12.83, 13.46 ...); one hidden point off that grid makes it choose round
     * numbers (12.5, 13, 13.5 ...) as for any other data.
     */
    static XYChart roundTicks(XYChart c) {
        double[] x = c.getSeriesMap().values().iterator().next().getXData();
        double[] y = c.getSeriesMap().values().iterator().next().getYData();
        if (x.length >= 2) {
            XYSeries s = c.addSeries(" ", new double[] {(x[0] + x[1]) / 2}, new double[] {y[0]});
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(new Color(0, 0, 0, 0));
            s.setShowInLegend(false);
        }
        return c;
    }

    static XYSeries line(XYChart c, String name, double[] x, double[] y, Color color, float width) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        return s;
    }

    private static void lineWithMarkers(XYChart c, String name, double[] x, double[] y, Color color) {
        XYSeries s = line(c, name, x, y, color, 2f);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(color);
    }

    private static void markers(XYChart c, String name, double[] x, double[] y, Color color, Marker marker, double scale) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(new Scaled(marker, scale));
        s.setMarkerColor(color);
    }

    static BufferedImage render(XYChart c) {
        return BitmapEncoder.getBufferedImage(c);
    }

    /** Two panels next to each other in one image. */
    static BufferedImage sideBySide(XYChart left, XYChart right) {
        BufferedImage a = BitmapEncoder.getBufferedImage(left);
        BufferedImage b = BitmapEncoder.getBufferedImage(right);
        BufferedImage img = new BufferedImage(a.getWidth() + b.getWidth(), Math.max(a.getHeight(), b.getHeight()),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, a.getWidth(), 0, null);
        g.dispose();
        return img;
    }

    static double[] range(int from, int to) {
        double[] x = new double[to - from];
        for (int i = 0; i < x.length; i++) {
            x[i] = from + i;
        }
        return x;
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    private static double[] head(double[] v, int n) {
        return Arrays.copyOfRange(v, 0, n);
    }

    private static double[] tail(double[] v, int n) {
        return Arrays.copyOfRange(v, v.length - n, v.length);
    }

    /** A marker drawn at a multiple of the chart's marker size (XChart has one size per chart). */
    private static final class Scaled extends Marker {
        private final Marker base;
        private final double scale;

        Scaled(Marker base, double scale) {
            this.base = base;
            this.scale = scale;
        }

        @Override
        public void paint(Graphics2D g, double x, double y, int size) {
            base.paint(g, x, y, (int) Math.round(size * scale));
        }
    }

    /** A five-pointed star with a dark outline, the seed's {@code "*"} marker for targets. */
    private static final class Star extends Marker {
        private static final Color OUTLINE = new Color(0x333333);

        @Override
        public void paint(Graphics2D g, double x, double y, int size) {
            double outer = size / 2.0;
            double inner = outer * 0.45;
            Path2D.Double p = new Path2D.Double();
            for (int i = 0; i < 10; i++) {
                double r = i % 2 == 0 ? outer : inner;
                double a = -Math.PI / 2 + i * Math.PI / 5;
                double px = x + r * Math.cos(a);
                double py = y + r * Math.sin(a);
                if (i == 0) {
                    p.moveTo(px, py);
                } else {
                    p.lineTo(px, py);
                }
            }
            p.closePath();
            g.fill(p);
            Color fill = g.getColor();
            g.setColor(OUTLINE);
            g.setStroke(new BasicStroke(1f));
            g.draw(p);
            g.setColor(fill);
        }
    }
}
