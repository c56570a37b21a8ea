package dev.unroll.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Every reader of untrusted input in the project, as fuzz targets sharing one scratch directory. */
public final class Targets {
    private Targets() {
    }

    /**
     * The parsers (fast, byte-level) and, when {@code withCli}, the command line; {@code corpus} (or
     * null) is the regression corpus the command line's {@code @CORPUS:PATH@} inputs refer to.
     */
    public static List<FuzzTarget> all(Path scratch, boolean withCli, Path corpus) throws IOException {
        Files.createDirectories(scratch);
        CheckpointTarget checkpoints = new CheckpointTarget();
        List<FuzzTarget> targets = new ArrayList<>(List.of(new JsonTarget(checkpoints.checkpoints()),
                new SafeTensorsTarget(checkpoints.checkpoints()), checkpoints, new IdxTarget(true, scratch), new IdxTarget(false, scratch),
                new CsvTarget(scratch), new TextTarget(scratch), new OnnxTarget()));
        if (withCli) {
            targets.add(new CliTarget(scratch.resolve("cli"), corpus));
        }
        return targets;
    }

    /** The target of that name. */
    public static FuzzTarget named(String name, Path scratch, Path corpus) throws IOException {
        for (FuzzTarget t : all(scratch, name.equals("cli"), corpus)) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown fuzz target '" + name + "'");
    }
}
