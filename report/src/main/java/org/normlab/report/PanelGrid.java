package org.normlab.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;

/** Draws several charts as small multiples into one PNG, under a common title. */
final class PanelGrid {

    private static final int TITLE_HEIGHT = 44;

    private PanelGrid() {}

    static void write(List<JFreeChart> panels, String title, int panelWidth, int panelHeight, Path file)
            throws IOException {
        write(panels, title, panelWidth, panelHeight, file, Math.min(3, panels.size()));
    }

    /** With {@code columns} panels per row (a row of panels is then one context of a figure). */
    static void write(List<JFreeChart> panels, String title, int panelWidth, int panelHeight, Path file, int columns)
            throws IOException {
        if (panels.size() == 1) {
            // One panel alone gets the room of a full chart (and the title room to fit).
            panelWidth = Math.max(panelWidth, 960);
            panelHeight = panelHeight * 6 / 5;
        }
        columns = Math.max(1, Math.min(columns, panels.size()));
        int rows = (panels.size() + columns - 1) / columns;
        int width = columns * panelWidth;
        int height = TITLE_HEIGHT + rows * panelHeight;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.DARK_GRAY);
            int size = 20;
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
            while (g.getFontMetrics().stringWidth(title) > width - 16 && size > 10) {
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, --size));
            }
            FontMetrics fm = g.getFontMetrics();
            g.drawString(title, Math.max(8, (width - fm.stringWidth(title)) / 2), 30);
            for (int i = 0; i < panels.size(); i++) {
                int x = (i % columns) * panelWidth;
                int y = TITLE_HEIGHT + (i / columns) * panelHeight;
                panels.get(i).draw(g, new Rectangle2D.Double(x, y, panelWidth, panelHeight));
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", file.toFile());
    }
}
