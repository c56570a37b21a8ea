package dev.unroll.onnx;

import dev.unroll.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@code .onnx} file ({@code ModelProto}, the root message of {@code onnx.proto}), read and
 * written by Unroll's own protocol buffers code: the IR version, the operator sets the graph uses,
 * who produced it, the graph, and string metadata.
 *
 * <pre>
 *   ModelProto              1 ir_version (int64)   2 producer_name   3 producer_version   4 domain
 *                           5 model_version (int64)   6 doc_string   7 graph (GraphProto)
 *                           8 opset_import (repeated OperatorSetIdProto)
 *                           14 metadata_props (repeated StringStringEntryProto)   20 training_info, 25 functions (skipped)
 *   OperatorSetIdProto      1 domain ("" = ai.onnx)   2 version (int64)
 *   StringStringEntryProto  1 key   2 value
 * </pre>
 *
 * <p>{@link #read(byte[])} is a parser of untrusted input: whatever the bytes, it returns a model
 * or throws {@link OnnxException} with a message naming the problem and its byte offset (see
 * {@link ProtoReader} for how lengths, sizes and nesting are bounded).
 *
 * @param irVersion       the ONNX IR version (8 for opset 17)
 * @param opsets          operator set versions by domain ("" is {@code ai.onnx})
 * @param producerName    e.g. {@code unroll} or {@code pytorch}
 * @param producerVersion the producer's version
 * @param graph           the computation
 * @param metadata        {@code metadata_props}, in file order
 */
public record OnnxModel(long irVersion, Map<String, Long> opsets, String producerName, String producerVersion, OnnxGraph graph,
                        Map<String, String> metadata) {
    /** The largest file {@link #read(Path)} accepts: a protocol buffer cannot exceed 2 GiB. */
    public static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    public OnnxModel {
        opsets = Collections.unmodifiableMap(new LinkedHashMap<>(opsets));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The version of the standard operator set ({@code ai.onnx}, domain "" or "ai.onnx"), or 0 if not imported. */
    public long onnxOpset() {
        return opsets.getOrDefault("", opsets.getOrDefault("ai.onnx", 0L));
    }

    /** Parses an {@code .onnx} file's bytes. */
    public static OnnxModel read(byte[] bytes) throws OnnxException {
        ProtoReader r = ProtoReader.of(bytes, "ModelProto");
        long ir = 0;
        String producer = "";
        String producerVersion = "";
        OnnxGraph graph = null;
        Map<String, Long> opsets = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        while (r.hasField()) {
            switch (r.nextField()) {
                case 1 -> ir = r.int64();
                case 2 -> producer = r.string();
                case 3 -> producerVersion = r.string();
                case 7 -> graph = OnnxGraph.decode(r.message("graph"));
                case 8 -> {
                    Map.Entry<String, Long> op = opset(r.message("opset_import"));
                    if (opsets.put(op.getKey(), op.getValue()) != null) {
                        throw r.error("operator set '" + op.getKey() + "' is imported twice");
                    }
                }
                case 14 -> {
                    Map.Entry<String, String> entry = entry(r.message("metadata_props"));
                    if (metadata.put(entry.getKey(), entry.getValue()) != null) {
                        throw r.error("metadata key '" + entry.getKey() + "' appears twice");
                    }
                }
                default -> r.skip();
            }
        }
        if (graph == null) {
            throw new OnnxException("malformed ONNX file: no graph (ModelProto field 7)"
                    + (bytes.length == 0 ? "; the file is empty" : ""));
        }
        return new OnnxModel(ir, opsets, producer, producerVersion, graph, metadata);
    }

    /** An {@code OperatorSetIdProto}: domain (field 1), version (field 2). */
    private static Map.Entry<String, Long> opset(ProtoReader r) throws OnnxException {
        String domain = "";
        long version = 0;
        while (r.hasField()) {
            switch (r.nextField()) {
                case 1 -> domain = r.string();
                case 2 -> version = r.int64();
                default -> r.skip();
            }
        }
        return Map.entry(domain, version);
    }

    /** A {@code StringStringEntryProto}: key (field 1), value (field 2). */
    private static Map.Entry<String, String> entry(ProtoReader r) throws OnnxException {
        String key = "";
        String value = "";
        while (r.hasField()) {
            switch (r.nextField()) {
                case 1 -> key = r.string();
                case 2 -> value = r.string();
                default -> r.skip();
            }
        }
        return Map.entry(key, value);
    }

    /** Reads an {@code .onnx} file. */
    public static OnnxModel read(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new OnnxException(file + ": " + size + " bytes; an ONNX file holds at most " + MAX_BYTES);
        }
        try {
            return read(Files.readAllBytes(file));
        } catch (OnnxException e) {
            throw new OnnxException(file + ": " + e.getMessage());
        }
    }

    /** The file's bytes. */
    public byte[] toBytes() {
        ProtoWriter w = new ProtoWriter();
        w.int64(1, irVersion);
        w.stringIfNotEmpty(2, producerName);
        w.stringIfNotEmpty(3, producerVersion);
        w.message(7, graph::encode);
        for (Map.Entry<String, Long> e : opsets.entrySet()) {
            w.message(8, op -> {
                op.stringIfNotEmpty(1, e.getKey());
                op.int64(2, e.getValue());
            });
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            w.message(14, entry -> {
                entry.string(1, e.getKey());
                entry.string(2, e.getValue());
            });
        }
        return w.toByteArray();
    }

    /** Writes the file atomically (a reader never sees half of it). */
    public void write(Path file) throws IOException {
        byte[] bytes = toBytes();
        AtomicFiles.write(file, out -> out.write(bytes));
    }

    /** The graph inputs a runtime feeds: the declared inputs that are not initializers. */
    public List<OnnxValueInfo> runtimeInputs() {
        List<String> constants = new ArrayList<>();
        for (OnnxTensor t : graph.initializers()) {
            constants.add(t.name());
        }
        List<OnnxValueInfo> fed = new ArrayList<>();
        for (OnnxValueInfo v : graph.inputs()) {
            if (!constants.contains(v.name())) {
                fed.add(v);
            }
        }
        return fed;
    }
}
