package dev.unroll.spark;

import dev.unroll.io.Checkpoint;
import dev.unroll.train.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Training checkpoints in a directory of any Hadoop file system ({@code file:}, {@code hdfs:},
 * {@code s3a:} URIs): one sub-directory per saved step, {@code step-000000000120/}, holding the
 * model ({@code model.safetensors}), the training state beside it ({@code Checkpoint}'s training
 * state: optimizer buffers, progress, random streams) and, written last, a {@code _COMPLETE}
 * marker. A directory without the marker (a driver that died while writing) is ignored, so the
 * latest complete checkpoint always resumes exactly. Older checkpoints beyond the newest
 * {@code keep} are deleted.
 */
public final class HadoopCheckpoints {
    static final String MODEL = "model.safetensors";
    static final String STATE = "model.training.safetensors";
    static final String COMPLETE = "_COMPLETE";
    private static final String PREFIX = "step-";

    private final Path dir;
    private final FileSystem fs;
    private final int keep;

    public HadoopCheckpoints(String directory, Configuration conf, int keep) throws IOException {
        if (keep < 1) {
            throw new IllegalArgumentException("checkpoints to keep must be at least 1, got " + keep);
        }
        this.dir = new Path(directory);
        this.fs = FileSystem.get(URI.create(directory), conf);
        this.keep = keep;
    }

    /** Saves the trainer's model and training state as of its current iteration. */
    public void save(Trainer trainer) throws IOException {
        long step = trainer.state().iterations();
        Path target = new Path(dir, String.format("%s%012d", PREFIX, step));
        if (fs.exists(target)) {
            fs.delete(target, true);
        }
        fs.mkdirs(target);
        write(new Path(target, MODEL), Checkpoint.toBytes(trainer.model(), Map.of()));
        write(new Path(target, STATE), Checkpoint.trainingStateBytes(trainer));
        write(new Path(target, COMPLETE), new byte[0]);
        List<Path> complete = completeSteps();
        for (int i = 0; i + keep < complete.size(); i++) {
            fs.delete(complete.get(i), true);
        }
    }

    /** The newest complete checkpoint's step, or -1 when there is none. */
    public long latestStep() throws IOException {
        List<Path> complete = completeSteps();
        return complete.isEmpty() ? -1 : step(complete.get(complete.size() - 1));
    }

    /**
     * Restores {@code trainer} from the newest complete checkpoint, if any; returns its step, or
     * -1 when the directory holds none (the trainer is then untouched).
     */
    public long resumeLatest(Trainer trainer) throws IOException {
        List<Path> complete = completeSteps();
        if (complete.isEmpty()) {
            return -1;
        }
        Path latest = complete.get(complete.size() - 1);
        Checkpoint.resume(trainer, read(new Path(latest, MODEL)), read(new Path(latest, STATE)), new Path(latest, MODEL).toString());
        return step(latest);
    }

    /** Complete checkpoint directories, oldest first. */
    private List<Path> completeSteps() throws IOException {
        List<Path> found = new ArrayList<>();
        if (!fs.exists(dir)) {
            return found;
        }
        for (FileStatus s : fs.listStatus(dir)) {
            String name = s.getPath().getName();
            if (s.isDirectory() && name.startsWith(PREFIX) && fs.exists(new Path(s.getPath(), COMPLETE))) {
                found.add(s.getPath());
            }
        }
        found.sort((a, b) -> Long.compare(step(a), step(b)));
        return found;
    }

    private static long step(Path p) {
        return Long.parseLong(p.getName().substring(PREFIX.length()));
    }

    private void write(Path file, byte[] bytes) throws IOException {
        try (OutputStream out = fs.create(file, true)) {
            out.write(bytes);
        }
    }

    private byte[] read(Path file) throws IOException {
        try (InputStream in = fs.open(file); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
