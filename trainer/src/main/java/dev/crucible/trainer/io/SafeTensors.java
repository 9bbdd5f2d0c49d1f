package dev.crucible.trainer.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.crucible.data.InputProblem;
import dev.crucible.data.InvalidInputException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes one {@code .safetensors} file: an 8-byte little-endian header length, a JSON header
 * naming each tensor's dtype, shape and byte range, then the raw bytes.
 *
 * <p>Written here rather than through {@code NDList.encode} because the PyTorch engine of DJL 0.35.1
 * aborts the JVM when it casts to or from bfloat16 on CPU, and real Qwen checkpoints are bfloat16: this
 * reader widens BF16 and F16 to float32 in Java, and the writer narrows back, a run of rows at a time
 * ({@link Rows}), so tensors of any size pass and memory stays a chunk above the model's own.
 */
public final class SafeTensors {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Most float32 bytes converted at once: well under a Java buffer's 2 GiB. */
  private static final long CHUNK_BYTES = 256L << 20;

  private SafeTensors() {}

  /**
   * Copies each array of {@code stored} into the live array of the same name in {@code live}, in place.
   *
   * @param source names where {@code stored} came from, in the error
   * @throws IllegalStateException when {@code stored} lacks one or has it in another shape
   */
  public static void copyInto(Map<String, NDArray> live, Map<String, NDArray> stored, String source) {
    for (Map.Entry<String, NDArray> entry : live.entrySet()) {
      NDArray value = stored.get(entry.getKey());
      if (value == null || !value.getShape().equals(entry.getValue().getShape())) {
        throw new IllegalStateException(source + " lacks " + entry.getKey() + " of shape " + entry.getValue().getShape());
      }
      entry.getValue().set(value.toByteBuffer());
    }
  }

  /** Every tensor of {@code file}, in file order, as float32 arrays of {@code manager} named as stored. */
  public static Map<String, NDArray> read(Path file, NDManager manager) {
    return read(file, manager, CHUNK_BYTES);
  }

  /** As {@link #read(Path, NDManager)}, converting at most {@code chunkBytes} of float32 at a time. */
  static Map<String, NDArray> read(Path file, NDManager manager, long chunkBytes) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      Header header = header(file, channel);
      Map<String, NDArray> tensors = new LinkedHashMap<>();
      Widening widening = new Widening();
      for (Map.Entry<String, JsonNode> entry : header.tensors().entrySet()) {
        tensors.put(entry.getKey(),
            readTensor(file, channel, header.dataStart(), entry.getKey(), entry.getValue(), manager, chunkBytes, widening));
      }
      return tensors;
    } catch (IOException e) {
      throw problem(file, "cannot read: " + e.getMessage());
    }
  }

  /** The storage type of each tensor of {@code file}, from its header alone. */
  public static Map<String, StorageType> storageTypes(Path file) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      Map<String, StorageType> types = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> entry : header(file, channel).tensors().entrySet()) {
        String dtype = entry.getValue().path("dtype").asText();
        StorageType type = StorageType.ofHeader(dtype);
        if (type == null) {
          throw problem(file, "tensor " + entry.getKey() + " has dtype " + dtype + "; F32, BF16 and F16 are read");
        }
        types.put(entry.getKey(), type);
      }
      return types;
    } catch (IOException e) {
      throw problem(file, "cannot read: " + e.getMessage());
    }
  }

  /** A file's header: each tensor's entry, in file order, and where the data begins. */
  private record Header(Map<String, JsonNode> tensors, long dataStart) {}

  private static Header header(Path file, FileChannel channel) throws IOException {
    ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, lengthBytes, 0);
    long headerLength = lengthBytes.flip().getLong();
    if (headerLength <= 0 || headerLength > channel.size() - 8 || headerLength > Integer.MAX_VALUE) {
      throw problem(file, "the header length " + headerLength + " does not fit a file of " + channel.size() + " bytes");
    }
    ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
    readFully(channel, headerBytes, 8);
    JsonNode json = MAPPER.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
    if (json == null || !json.isObject()) {
      throw problem(file, "the header is not a JSON object");
    }
    Map<String, JsonNode> tensors = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!entry.getKey().equals("__metadata__")) {
        tensors.put(entry.getKey(), entry.getValue());
      }
    }
    return new Header(tensors, 8 + headerLength);
  }

  /** Writes {@code tensors} (float32) to {@code file} as float32, in the map's order. */
  public static void write(Path file, Map<String, NDArray> tensors) {
    write(file, tensors, StorageType.F32);
  }

  /** Writes {@code tensors} (float32) to {@code file} in {@code storage} (rounded to nearest, ties to even), in the map's order. */
  public static void write(Path file, Map<String, NDArray> tensors, StorageType storage) {
    write(file, tensors, storage, CHUNK_BYTES);
  }

  static void write(Path file, Map<String, NDArray> tensors, StorageType storage, long chunkBytes) {
    ObjectNode header = MAPPER.createObjectNode();
    header.putObject("__metadata__").put("format", "pt");
    long offset = 0;
    for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
      NDArray array = entry.getValue();
      if (array.getDataType() != DataType.FLOAT32) {
        throw new IllegalArgumentException(entry.getKey() + " is " + array.getDataType() + "; only float32 is written");
      }
      long bytes = array.size() * storage.width();
      ObjectNode tensor = header.putObject(entry.getKey()).put("dtype", storage.name());
      for (long dim : array.getShape().getShape()) {
        tensor.withArray("shape").add(dim);
      }
      tensor.putArray("data_offsets").add(offset).add(offset + bytes);
      offset += bytes;
    }
    try {
      writeFile(file, header, tensors, storage, chunkBytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void writeFile(Path file, ObjectNode header, Map<String, NDArray> tensors, StorageType storage, long chunkBytes)
      throws IOException {
    byte[] json = MAPPER.writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8; // The format asks for an 8-byte aligned data section.
    byte[] headerBytes = new byte[padded];
    java.util.Arrays.fill(headerBytes, (byte) ' ');
    System.arraycopy(json, 0, headerBytes, 0, json.length);
    Files.createDirectories(file.toAbsolutePath().getParent());
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
      out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
      out.write(headerBytes);
      byte[] chunk = new byte[1 << 20];
      float[] values = new float[chunk.length / 2];
      for (NDArray array : tensors.values()) {
        for (Rows rows : Rows.of(array.getShape(), chunkBytes)) {
          // Past 2 GiB an array has no single buffer: its rows go out a chunk at a time.
          try (NDArray part = rows.whole() ? null : array.get(rows.index())) {
            ByteBuffer data = (part == null ? array : part).toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            if (storage == StorageType.F32) {
              while (data.hasRemaining()) {
                int n = Math.min(chunk.length, data.remaining());
                data.get(chunk, 0, n);
                out.write(chunk, 0, n);
              }
            } else {
              java.nio.FloatBuffer floats = data.asFloatBuffer();
              while (floats.hasRemaining()) {
                int count = Math.min(values.length, floats.remaining());
                floats.get(values, 0, count);
                for (int i = 0; i < count; i++) {
                  short narrow = storage == StorageType.BF16 ? HalfFloats.toBfloat16(values[i]) : HalfFloats.toHalf(values[i]);
                  chunk[2 * i] = (byte) narrow;
                  chunk[2 * i + 1] = (byte) (narrow >>> 8);
                }
                out.write(chunk, 0, 2 * count);
              }
            }
          }
        }
      }
    }
  }

  private static NDArray readTensor(
      Path file, FileChannel channel, long dataStart, String name, JsonNode spec, NDManager manager, long chunkBytes, Widening widening)
      throws IOException {
    String dtype = spec.path("dtype").asText();
    JsonNode shapeNode = spec.path("shape");
    long[] dims = new long[shapeNode.size()];
    for (int i = 0; i < dims.length; i++) {
      dims[i] = shapeNode.get(i).asLong();
    }
    Shape shape = new Shape(dims);
    long begin = spec.path("data_offsets").path(0).asLong(-1);
    long end = spec.path("data_offsets").path(1).asLong(-1);
    StorageType type = StorageType.ofHeader(dtype);
    if (type == null) {
      throw problem(file, "tensor " + name + " has dtype " + dtype + "; F32, BF16 and F16 are read");
    }
    if (begin < 0 || end - begin != shape.size() * type.width() || dataStart + end > channel.size()) {
      throw problem(file, "tensor " + name + ": data_offsets [" + begin + ", " + end + "] do not match shape " + shape + " of " + dtype);
    }
    NDList parts = new NDList();
    try {
      for (Rows rows : Rows.of(shape, chunkBytes)) {
        long from = dataStart + begin + rows.firstElement() * type.width();
        MappedByteBuffer raw = channel.map(FileChannel.MapMode.READ_ONLY, from, rows.elements() * type.width());
        raw.order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer floats = type == StorageType.F32 ? raw : widening.widen(raw, type, rows.elements());
        // The engine may keep pointing at the buffer it was given: a read-only file mapping (a write in place
        // would crash the JVM) or a direct buffer the JVM frees when it collects it. A copy owns its memory.
        try (NDArray view = manager.create(floats, rows.shape(), DataType.FLOAT32)) {
          parts.add(view.duplicate());
        }
      }
      // Runs join in one copy: one pass over the tensor, where setting each run into a whole one costs more.
      NDArray array = parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
      array.setName(name);
      if (parts.size() > 1) {
        parts.close();
      }
      return array;
    } catch (RuntimeException e) {
      parts.close();
      throw e;
    }
  }

  /**
   * A run of a tensor's leading rows, at most a chunk of float32: tensors past 2 GiB (a 14B model's
   * embeddings) are read, converted and written a run at a time, since a Java buffer stops at 2 GiB.
   *
   * @param tensor the tensor's shape
   * @param first the first row
   * @param count the rows
   * @param rowElements elements per row
   * @param whole whether it is the whole tensor
   */
  record Rows(Shape tensor, long first, long count, long rowElements, boolean whole) {
    static List<Rows> of(Shape shape, long chunkBytes) {
      long rowsTotal = shape.dimension() == 0 ? 1 : shape.get(0);
      long rowElements = shape.dimension() == 0 ? 1 : shape.size() / Math.max(1, rowsTotal);
      long perChunk = Math.max(1, chunkBytes / Math.max(4, rowElements * 4));
      if (rowsTotal <= perChunk || shape.dimension() == 0) {
        return List.of(new Rows(shape, 0, rowsTotal, rowElements, true));
      }
      List<Rows> runs = new ArrayList<>();
      for (long first = 0; first < rowsTotal; first += perChunk) {
        runs.add(new Rows(shape, first, Math.min(perChunk, rowsTotal - first), rowElements, false));
      }
      return runs;
    }

    long firstElement() {
      return first * rowElements;
    }

    long elements() {
      return count * rowElements;
    }

    Shape shape() {
      if (whole) {
        return tensor;
      }
      long[] dims = tensor.getShape().clone();
      dims[0] = count;
      return new Shape(dims);
    }

    NDIndex index() {
      return new NDIndex(first + ":" + (first + count));
    }
  }

  /**
   * Widens half-width runs into one direct buffer, reused from run to run: the engine copies each run
   * before the next one comes, and a fresh direct buffer per run would wait on the garbage collector to
   * free the last ones once the JVM's direct memory is spent.
   */
  private static final class Widening {
    private final short[] narrow = new short[1 << 16];
    private final float[] wide = new float[1 << 16];
    private ByteBuffer buffer;

    ByteBuffer widen(ByteBuffer halves, StorageType type, long count) {
      int bytes = Math.toIntExact(count * 4);
      if (buffer == null || buffer.capacity() < bytes) {
        buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
      }
      ByteBuffer out = buffer.clear().limit(bytes);
      java.nio.ShortBuffer in = halves.asShortBuffer();
      java.nio.FloatBuffer floats = out.asFloatBuffer();
      boolean bfloat16 = type == StorageType.BF16;
      // Bulk transfers through arrays: a value at a time through the buffers costs several times more.
      while (in.hasRemaining()) {
        int n = Math.min(narrow.length, in.remaining());
        in.get(narrow, 0, n);
        for (int i = 0; i < n; i++) {
          wide[i] = bfloat16 ? HalfFloats.fromBfloat16(narrow[i]) : HalfFloats.toFloat(narrow[i]);
        }
        floats.put(wide, 0, n);
      }
      return out.limit(bytes).position(0);
    }
  }

  private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
    while (into.hasRemaining()) {
      int n = channel.read(into, position + into.position());
      if (n < 0) {
        throw new IOException("file ends early");
      }
    }
  }

  private static InvalidInputException problem(Path file, String message) {
    return new InvalidInputException(new InputProblem(file.toString(), 0, null, message));
  }
}
