package dev.verdict.cli;

import dev.verdict.InputException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The small CSV reader and writer of the {@code assign} verb (RFC 4180: comma separated, fields optionally in double
 * quotes with {@code ""} for a quote, one record per line; no line breaks inside fields). Hand-written because the
 * inputs are small id and cluster lists; the logs themselves are read by the engines.
 */
final class Csv {
    private Csv() {
    }

    /** A table with a header. */
    record Table(String source, List<String> header, List<List<String>> rows) {
        /** The index of a column, or an input error (exit 2) naming the option and listing the columns. */
        int column(String name, String option) {
            int i = header.indexOf(name);
            if (i < 0) {
                throw InputException.spec("option " + option + ": column '" + name + "' is not in " + source
                        + "; its columns are " + String.join(", ", header));
            }
            return i;
        }
    }

    /** The lines of a file, or of standard input for {@code -}; empty lines dropped. */
    static List<String> lines(String file) {
        try (Reader r = file.equals("-") ? new InputStreamReader(System.in, StandardCharsets.UTF_8)
                : Files.newBufferedReader(Path.of(file), StandardCharsets.UTF_8);
             BufferedReader b = new BufferedReader(r)) {
            List<String> out = new ArrayList<>();
            for (String line = b.readLine(); line != null; line = b.readLine()) {
                if (out.isEmpty() && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (!line.isBlank()) {
                    out.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
                }
            }
            return out;
        } catch (NoSuchFileException e) {
            throw InputException.data("file not found: " + file + "; give an existing CSV file or - for standard input");
        } catch (IOException | java.io.UncheckedIOException | java.nio.file.InvalidPathException e) {
            throw InputException.data("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** A CSV file with a header row. */
    static Table read(String file) {
        List<String> lines = lines(file);
        if (lines.isEmpty()) {
            throw InputException.data(file + " is empty; expected a header row and one row per unit");
        }
        List<String> header = split(lines.get(0), file, 1);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            List<String> row = split(lines.get(i), file, i + 1);
            if (row.size() != header.size()) {
                throw InputException.data(file + ":" + (i + 1) + ": " + row.size() + " fields, but the header has "
                        + header.size() + "; fix the row");
            }
            rows.add(row);
        }
        return new Table(file, header, rows);
    }

    static List<String> split(String line, String file, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        f.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    f.append(c);
                }
            } else if (c == '"' && f.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                out.add(wasQuoted ? f.toString() : f.toString().strip());
                f.setLength(0);
                wasQuoted = false;
            } else {
                f.append(c);
            }
        }
        if (quoted) {
            throw InputException.data(file + ":" + lineNo + ": unterminated quoted field; close the quote");
        }
        out.add(wasQuoted ? f.toString() : f.toString().strip());
        return out;
    }

    /** One CSV field, quoted when needed. */
    static String field(String s) {
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0
                || (!s.isEmpty() && (Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1))))) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    /** One CSV record (no line end). */
    static String row(Object... fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(field(String.valueOf(fields[i])));
        }
        return b.toString();
    }
}
