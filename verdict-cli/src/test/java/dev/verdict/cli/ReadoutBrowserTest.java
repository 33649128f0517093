package dev.verdict.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Opens each sample readout.html, and the design lab's, in headless Chromium and checks what the browser drew: every
 * chart's svg has a non-empty box, and the number of marks with a non-empty box equals the svg's {@code data-marks};
 * the page logs nothing to the console and fetches no resource; a full-page screenshot is saved to
 * {@code target/readout-browser/<example>.png} ({@code lab.png} for the lab), and the page printed to PDF (its print
 * style sheet) beside it.
 *
 * <p>The readout itself has no script; the test opens a copy with a small probe script appended, which measures the
 * marks with {@code getBBox()} and writes the result into the DOM that {@code --dump-dom} prints. Runs when
 * {@code /usr/bin/chromium} (Debian package {@code chromium}) exists, or the path in the {@code VERDICT_CHROMIUM}
 * environment variable; skipped otherwise.
 */
class ReadoutBrowserTest {
    private static final Path ARTIFACTS = Path.of("target", "readout-browser");
    private static final String PROBE = """
            <script>
            window.__errors = [];
            window.addEventListener('error', e => window.__errors.push(String(e.message)));
            window.addEventListener('load', () => {
              const rows = [];
              document.querySelectorAll('figure.chart').forEach(f => {
                const svg = f.querySelector('svg');
                const box = svg.getBoundingClientRect();
                let drawn = 0;
                svg.querySelectorAll('.mark').forEach(m => { const b = m.getBBox(); if (b.width + b.height > 0) drawn++; });
                rows.push(f.id + ' ' + Math.round(box.width) + 'x' + Math.round(box.height) + ' '
                    + svg.getAttribute('data-marks') + ' ' + drawn);
              });
              const out = document.createElement('pre');
              out.id = 'verdict-probe';
              out.textContent = 'resources=' + performance.getEntriesByType('resource').length
                  + ' errors=' + window.__errors.length + ' height=' + document.documentElement.scrollHeight
                  + '\\n' + rows.join('\\n');
              document.body.appendChild(out);
            });
            </script>
            """;
    private static final Pattern ROW = Pattern.compile("^(chart-\\S+) (\\d+)x(\\d+) (\\d+) (\\d+)(?=$|</pre>)",
            Pattern.MULTILINE);

    private static Path chromium;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findBrowser() {
        String env = System.getenv("VERDICT_CHROMIUM");
        chromium = Path.of(env != null && !env.isBlank() ? env : "/usr/bin/chromium");
    }

    @ParameterizedTest
    @ValueSource(strings = {"clean-win", "mixed-segments", "did-rollout", "synthetic-control", "rdd", "propensity",
            "switchback", "cluster-rct", "synthetic-control/spec-did.yaml"})
    void everyChartRendersWithItsMarksAndNoConsoleOutput(String example) throws Exception {
        assumeBrowser();
        Path out = tmp.resolve("out");
        CliRun run = CliRun.analyze(CliRun.repo().resolve("examples/" + example
                + (example.endsWith(".yaml") ? "" : "/spec.yaml")), out);
        assertTrue(run.err().isEmpty(), run.err());
        rendersInTheBrowser(out.resolve("readout.html"), example.replace("/spec-", "-").replace(".yaml", ""));
    }

    @Test
    void labReadoutRendersWithItsMarksAndNoConsoleOutput() throws Exception {
        assumeBrowser();
        Path out = tmp.resolve("lab");
        CliRun run = CliRun.lab(out, 2);
        assertEquals(0, run.exit(), run.err());
        rendersInTheBrowser(out.resolve("readout.html"), "lab");
    }

    /** A saturation design (no shipped example has one): six clusters at levels 0, 0.5 and 1, written here. */
    @Test
    void saturationReadoutRendersWithItsMarksAndNoConsoleOutput() throws Exception {
        assumeBrowser();
        StringBuilder csv = new StringBuilder("request_id,cluster,arm,ttft_ms\n");
        String[] clusters = {"p1", "p2", "m1", "m2", "f1", "f2"};
        int id = 0;
        for (int c = 0; c < clusters.length; c++) {
            for (int i = 0; i < 40; i++) {
                boolean treated = c >= 4 || c >= 2 && i % 2 == 0;
                double y = 100 + 3 * c + (treated ? -8 : 0) + (c == 2 || c == 3 ? 2 : 0) + (i % 7);
                csv.append("r").append(id++).append(',').append(clusters[c]).append(',')
                        .append(treated ? "treatment" : "control").append(',').append(y).append('\n');
            }
        }
        Files.writeString(tmp.resolve("requests.csv"), csv);
        Files.writeString(tmp.resolve("spec.yaml"), """
                name: saturation
                design: cluster_rct
                unit: cluster
                saturation: {levels: [0, 0.5, 1]}
                data: requests.csv
                success: {metric: ttft_ms, kind: mean, direction: decrease, min_effect: 1}
                shared_state: [cache]
                """);
        Path out = tmp.resolve("saturation");
        CliRun run = CliRun.analyze(tmp.resolve("spec.yaml"), out);
        assertTrue(run.err().isEmpty(), run.err());
        assertTrue(Files.readString(out.resolve("readout.html")).contains("id=\"chart-saturation\""));
        rendersInTheBrowser(out.resolve("readout.html"), "saturation");
    }

    private static void assumeBrowser() {
        assumeTrue(Files.isExecutable(chromium), "headless-browser test skipped: no Chromium at " + chromium
                + " (install the Debian packages chromium and chromium-driver, or set VERDICT_CHROMIUM)");
    }

    /**
     * Opens a copy of {@code html} with the probe appended and checks what Chromium drew (see the class comment), then
     * saves a screenshot and the page as {@code target/readout-browser/<name>.png} and {@code .html}.
     */
    private void rendersInTheBrowser(Path html, String name) throws Exception {
        String page = Files.readString(html);
        int figures = count(page, "<figure class=\"chart\"");
        assertTrue(figures > 0, "the page has charts");

        Path probe = html.resolveSibling("probe.html");
        Files.writeString(probe, page.replace("</body>", PROBE + "</body>"));
        Result dom = chromium(List.of("--virtual-time-budget=5000", "--dump-dom", probe.toUri().toString()));
        assertEquals(0, dom.exit, dom.err);
        List<String> console = dom.err.lines().filter(l -> l.contains(":CONSOLE")).toList();
        assertTrue(console.isEmpty(), "console output: " + console);
        Matcher head = Pattern.compile("resources=(\\d+) errors=(\\d+) height=(\\d+)").matcher(dom.out);
        assertTrue(head.find(), "probe ran: " + dom.out.substring(Math.max(0, dom.out.length() - 500)));
        assertEquals("0", head.group(1), "no resource fetched");
        assertEquals("0", head.group(2), "no script error");
        int rows = 0;
        Matcher m = ROW.matcher(dom.out);
        while (m.find()) {
            rows++;
            assertTrue(Integer.parseInt(m.group(2)) > 0 && Integer.parseInt(m.group(3)) > 0, m.group(1) + " has a size");
            assertTrue(Integer.parseInt(m.group(4)) > 0, m.group(1) + " has marks");
            assertEquals(m.group(4), m.group(5), m.group(1) + ": marks drawn with a non-empty box = data-marks");
        }
        assertEquals(figures, rows, "every chart measured: " + dom.out.substring(dom.out.indexOf("<pre id=\"verdict-probe\">")));

        Files.createDirectories(ARTIFACTS);
        Path png = ARTIFACTS.resolve(name + ".png").toAbsolutePath();
        Files.deleteIfExists(png);
        int height = Math.min(16000, Integer.parseInt(head.group(3)) + 40);
        Result shot = chromium(List.of("--hide-scrollbars", "--window-size=1000," + height, "--screenshot=" + png,
                html.toUri().toString()));
        assertEquals(0, shot.exit, shot.err);
        assertTrue(Files.size(png) > 10_000, "screenshot written: " + png);
        Files.copy(html, ARTIFACTS.resolve(name + ".html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        // printed (the print style sheet): a PDF with pages, kept as an artifact beside the screenshot
        Path pdf = ARTIFACTS.resolve(name + ".pdf").toAbsolutePath();
        Files.deleteIfExists(pdf);
        Result print = chromium(List.of("--no-pdf-header-footer", "--print-to-pdf=" + pdf, html.toUri().toString()));
        assertEquals(0, print.exit, print.err);
        String bytes = new String(Files.readAllBytes(pdf), StandardCharsets.ISO_8859_1);
        assertTrue(bytes.startsWith("%PDF-"), "a PDF: " + pdf);
        assertTrue(Pattern.compile("/Type\\s*/Page(?!s)").matcher(bytes).find(), "the PDF has pages: " + pdf);
    }

    private record Result(int exit, String out, String err) {
    }

    private Result chromium(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--disable-gpu", "--no-sandbox",
                "--no-first-run", "--disable-extensions", "--user-data-dir=" + tmp.resolve("profile"),
                "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0"));
        cmd.addAll(args);
        Path stdout = tmp.resolve("chromium.out");
        Path stderr = tmp.resolve("chromium.err");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 120 s: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
