package dev.verdict.cli.readout;

/**
 * The one stylesheet of verdict's HTML pages (readout.html of {@code analyze} and {@code demo}, and the design lab's
 * readout.html), inlined into each page so that it opens offline: system fonts, tables that scroll rather than
 * overflow, chart styles that read in greyscale, and print rules.
 */
final class ReadoutStylesheet {
    static final String CSS = """
            :root{color-scheme:light}
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;\
            color:#1a1a1a;background:#fff;max-width:60rem;margin:0 auto;padding:1rem 1.5rem;line-height:1.45}
            h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;border-bottom:1px solid #ccc;padding-bottom:.2rem;\
            margin-top:2rem}h3{font-size:1.05rem}
            .decision{border:2px solid #1a1a1a;padding:.6rem 1rem;margin:1rem 0}
            .recommendation{font-size:1.5rem;font-weight:700;letter-spacing:.03em}
            table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.88rem;width:100%}
            th,td{border:1px solid #bbb;padding:.25rem .45rem;text-align:left;vertical-align:top}
            th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}
            .status-pass{}.status-warn{font-weight:700}.status-fail{font-weight:700;text-decoration:underline}
            .table{overflow-x:auto}
            code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
            figure.chart{margin:1rem 0;break-inside:avoid;page-break-inside:avoid}
            figcaption{font-weight:600;margin-bottom:.3rem}
            figure.chart svg{max-width:100%;height:auto;font-size:11px;font-family:inherit}
            svg text{fill:#1a1a1a}svg .axis,svg .tick{stroke:#333;stroke-width:1}svg .grid{stroke:#e4e4e4}
            svg .zero{stroke:#333;stroke-width:1}svg .reference,svg .threshold{stroke:#333;stroke-width:1.2}
            svg .lead,svg .post{fill:#ececec}svg .treated-block{fill:#e6ebf2}svg .washout{fill:#c8c8c8}svg .role,svg .ticklabel{fill:#555}
            p.alt{font-size:.85rem;color:#444;margin:.2rem 0}
            details{margin:.5rem 0}
            @media print{body{max-width:none;padding:0;font-size:10.5pt}h2{break-after:avoid}\
            table,figure{break-inside:avoid}.table{overflow:visible}table{font-size:8.5pt}\
            details::details-content{content-visibility:visible;display:block}a{color:inherit}}
            """;

    private ReadoutStylesheet() {
    }
}
