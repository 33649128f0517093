package dev.verdict.cli.readout;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Where a readout came from: tool and engine versions, the data's fingerprint and the seed. Contains
 * no timestamps or host names, so the same inputs give the same bytes.
 *
 * @param tool          tool name and version
 * @param engine        engine name
 * @param engineVersion engine version
 * @param files         each input file with its size and fingerprint
 * @param seed          the spec's seed
 */
public record Provenance(String tool, String engine, String engineVersion, List<DataFile> files, long seed) {

    public Provenance {
        files = List.copyOf(files);
    }

    /**
     * One input file.
     *
     * @param path        the path relative to the spec's folder when it lies beneath it, else absolute
     * @param bytes       size in bytes
     * @param fingerprint SHA-256 of the size and of the first and last MiB: cheap on 10^8-row files and
     *                    sensitive to any append, truncation or rewrite of a Parquet footer; not a full-content hash
     */
    public record DataFile(String path, long bytes, String fingerprint) { }

    /** Paths as written in a readout: relative to the spec file's folder where they lie beneath it, else absolute. */
    public static List<String> relative(List<String> paths, Path specFile) {
        Path b = specFile.toAbsolutePath().normalize().getParent();
        List<String> out = new ArrayList<>();
        for (String f : paths) {
            Path p = Path.of(f).toAbsolutePath().normalize();
            out.add(p.startsWith(b) ? b.relativize(p).toString().replace('\\', '/') : p.toString());
        }
        return out;
    }

    /**
     * Fingerprints the files, naming them relative to {@code base} where possible (URIs such as {@code hdfs://...}
     * as they are), reading them through the engine so that files on other file systems are fingerprinted too.
     */
    public static List<DataFile> fingerprint(List<String> files, Path base, dev.verdict.reduce.Engine engine) {
        List<DataFile> out = new ArrayList<>();
        Path b = base.toAbsolutePath().normalize();
        for (String f : files) {
            String name = f;
            if (!f.matches("^[A-Za-z][A-Za-z0-9+.-]+:.*") || f.startsWith("file:")) {
                Path p = Path.of(f.startsWith("file:") ? java.net.URI.create(f).getPath() : f).toAbsolutePath().normalize();
                name = p.startsWith(b) ? b.relativize(p).toString().replace('\\', '/') : p.toString();
            }
            long size = engine.fileSize(f);
            out.add(new DataFile(name, size, hash(engine, f, size)));
        }
        return out;
    }

    private static String hash(dev.verdict.reduce.Engine engine, String file, long size) {
        final int mib = 1 << 20;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(Long.toString(size).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            sha.update(engine.readFile(file, 0, (int) Math.min(mib, size)));
            if (size > mib) {
                sha.update(engine.readFile(file, Math.max(mib, size - mib), (int) Math.min(mib, size - mib)));
            }
            return "sha256:" + HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
