package dev.nnkit.spark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Where a run's model and checkpoints go: a directory on the driver, or any Hadoop-compatible path
 * ({@code hdfs://…}, {@code s3a://…}, {@code file:///…}). nnkit writes them on the driver's disk
 * as ever; for a Hadoop path that disk is a staging directory, and each finished checkpoint and the
 * model are then copied up under a hidden name and renamed into place, so a reader never sees half
 * of one. Checkpoints the local side has dropped (beyond the newest three) are deleted there too.
 */
final class RunOutput {
    private final Path local;
    private final FileSystem fs;
    private final org.apache.hadoop.fs.Path remote;

    private RunOutput(Path local, FileSystem fs, org.apache.hadoop.fs.Path remote) {
        this.local = local;
        this.fs = fs;
        this.remote = remote;
    }

    /** {@code out} as given: a path with a scheme goes through Hadoop's file systems. */
    static RunOutput of(String out, Configuration hadoop) throws IOException {
        URI uri = URI.create(out.replace('\\', '/'));
        if (uri.getScheme() == null || uri.getScheme().length() == 1) { // a plain path, or C:\…
            return new RunOutput(Path.of(out), null, null);
        }
        org.apache.hadoop.fs.Path remote = new org.apache.hadoop.fs.Path(uri);
        return new RunOutput(Files.createTempDirectory("nn-spark-out"), remote.getFileSystem(hadoop), remote);
    }

    /** The directory nnkit writes in. */
    Path local() {
        return local;
    }

    /** Where the user looks. */
    String describe(String child) {
        return remote == null ? local.resolve(child).toString() : new org.apache.hadoop.fs.Path(remote, child).toString();
    }

    /** Whether a run was written here already (a model or checkpoints). */
    boolean holdsRun() throws IOException {
        if (remote == null) {
            return Files.exists(local.resolve("model")) || Files.exists(local.resolve("checkpoints"));
        }
        return fs.exists(new org.apache.hadoop.fs.Path(remote, "model"))
                || fs.exists(new org.apache.hadoop.fs.Path(remote, "checkpoints"));
    }

    /**
     * {@code --overwrite}: the model and checkpoints a run left here, deleted (nothing else in the
     * directory is touched). Called once the new run's config, data and network are accepted, so
     * a refused run changes nothing.
     */
    void deleteRun() throws IOException {
        for (String name : new String[] {"model", "checkpoints"}) {
            if (remote != null) {
                fs.delete(new org.apache.hadoop.fs.Path(remote, name), true);
            }
            Path p = local.resolve(name);
            if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> s = Files.walk(p)) {
                    for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(q);
                    }
                }
            } else {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Before a resume: the remote checkpoints, copied to the staging directory. */
    void pullCheckpoints() throws IOException {
        if (remote == null) {
            return;
        }
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(remote, "checkpoints");
        if (!fs.exists(dir)) {
            return;
        }
        Files.createDirectories(local.resolve("checkpoints"));
        for (FileStatus s : fs.listStatus(dir)) {
            if (s.isDirectory() && !s.getPath().getName().startsWith(".")) {
                fs.copyToLocalFile(false, s.getPath(), new org.apache.hadoop.fs.Path(
                        local.resolve("checkpoints").resolve(s.getPath().getName()).toUri()), true);
            }
        }
    }

    /** After a checkpoint: the remote checkpoints made equal to the staging directory's. */
    void pushCheckpoints() throws IOException {
        if (remote == null) {
            return;
        }
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(remote, "checkpoints");
        fs.mkdirs(dir);
        Set<String> present = new HashSet<>();
        for (FileStatus s : fs.listStatus(dir)) {
            present.add(s.getPath().getName());
        }
        Set<String> kept = new HashSet<>();
        for (Path c : children(local.resolve("checkpoints"))) {
            String name = c.getFileName().toString();
            kept.add(name);
            if (!present.contains(name)) {
                publish(c, new org.apache.hadoop.fs.Path(dir, name));
            }
        }
        for (String name : present) {
            // Checkpoints dropped here, and uploads a killed run left half-done.
            if (!kept.contains(name) && (!name.startsWith(".") || name.contains(".partial-"))) {
                fs.delete(new org.apache.hadoop.fs.Path(dir, name), true);
            }
        }
    }

    /** After training: the model, copied up and renamed over any earlier one. */
    void pushModel() throws IOException {
        if (remote == null) {
            return;
        }
        org.apache.hadoop.fs.Path model = new org.apache.hadoop.fs.Path(remote, "model");
        org.apache.hadoop.fs.Path old = new org.apache.hadoop.fs.Path(remote, ".model.old-" + System.nanoTime());
        boolean had = fs.exists(model);
        if (had && !fs.rename(model, old)) {
            throw new IOException("Could not move the earlier model " + model + " aside.");
        }
        publish(local.resolve("model"), model);
        if (had) {
            fs.delete(old, true);
        }
    }

    /** Deletes the staging directory of a Hadoop path (what it held has been copied up). */
    void cleanUp() throws IOException {
        if (remote == null || !Files.exists(local)) {
            return;
        }
        try (Stream<Path> s = Files.walk(local)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** Copies a local directory under a hidden name, then renames it into place. */
    private void publish(Path source, org.apache.hadoop.fs.Path target) throws IOException {
        org.apache.hadoop.fs.Path partial = new org.apache.hadoop.fs.Path(target.getParent(),
                "." + target.getName() + ".partial-" + System.nanoTime());
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(source.toUri()), partial);
        if (!fs.rename(partial, target)) {
            fs.delete(partial, true);
            throw new IOException("Could not rename " + partial + " to " + target + ".");
        }
    }

    private static List<Path> children(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }
}
