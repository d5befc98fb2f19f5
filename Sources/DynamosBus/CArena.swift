import CRabbitMQ
import Glibc

/// Owns the C memory handed to rabbitmq-c for one call: strings, field tables and arrays, freed together.
///
/// rabbitmq-c copies what it sends before returning, so an arena lives exactly as long as one operation.
final class CArena {
    private var blocks: [UnsafeMutableRawPointer] = []

    deinit {
        for block in blocks { free(block) }
    }

    func bytes(_ text: String) -> amqp_bytes_t {
        var text = text
        return text.withUTF8 { bytes(UnsafeRawBufferPointer($0)) }
    }

    func bytes(_ buffer: UnsafeRawBufferPointer) -> amqp_bytes_t {
        guard buffer.count > 0, let base = buffer.baseAddress else { return amqp_empty_bytes }
        let block = allocate(buffer.count)
        block.copyMemory(from: base, byteCount: buffer.count)
        return amqp_bytes_t(len: buffer.count, bytes: block)
    }

    func table(_ fields: FieldTable) -> amqp_table_t {
        guard !fields.isEmpty else { return amqp_empty_table }
        let entries = allocate(MemoryLayout<amqp_table_entry_t>.stride * fields.count)
            .bindMemory(to: amqp_table_entry_t.self, capacity: fields.count)
        for (index, key) in fields.keys.sorted().enumerated() {
            entries[index] = amqp_table_entry_t(key: bytes(key), value: value(fields[key]!))
        }
        return amqp_table_t(num_entries: Int32(fields.count), entries: entries)
    }

    private func value(_ field: FieldValue) -> amqp_field_value_t {
        var result = amqp_field_value_t()
        switch field {
        case .bool(let flag):
            result.kind = kind(AMQP_FIELD_KIND_BOOLEAN)
            result.value.boolean = flag ? 1 : 0
        case .int(let number):
            result.kind = kind(AMQP_FIELD_KIND_I64)
            result.value.i64 = number
        case .double(let number):
            result.kind = kind(AMQP_FIELD_KIND_F64)
            result.value.f64 = number
        case .string(let text):
            result.kind = kind(AMQP_FIELD_KIND_UTF8)
            result.value.bytes = bytes(text)
        case .bytes(let raw):
            result.kind = kind(AMQP_FIELD_KIND_BYTES)
            result.value.bytes = raw.withUnsafeBytes { bytes($0) }
        case .timestamp(let stamp):
            result.kind = kind(AMQP_FIELD_KIND_TIMESTAMP)
            result.value.u64 = stamp
        case .array(let items):
            result.kind = kind(AMQP_FIELD_KIND_ARRAY)
            let storage = allocate(MemoryLayout<amqp_field_value_t>.stride * max(items.count, 1))
                .bindMemory(to: amqp_field_value_t.self, capacity: max(items.count, 1))
            for (index, item) in items.enumerated() { storage[index] = value(item) }
            result.value.array = amqp_array_t(num_entries: Int32(items.count), entries: storage)
        case .table(let nested):
            result.kind = kind(AMQP_FIELD_KIND_TABLE)
            result.value.table = table(nested)
        case .void:
            result.kind = kind(AMQP_FIELD_KIND_VOID)
        }
        return result
    }

    private func kind(_ kind: amqp_field_value_kind_t) -> UInt8 { UInt8(kind.rawValue) }

    private func allocate(_ count: Int) -> UnsafeMutableRawPointer {
        let block = malloc(max(count, 1))!
        blocks.append(block)
        return block
    }
}

/// Reading rabbitmq-c's C values back into Swift values (copies: the C memory is reused after each frame).
enum CValues {
    static func string(_ bytes: amqp_bytes_t) -> String {
        guard bytes.len > 0, let base = bytes.bytes else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: base, count: bytes.len), as: UTF8.self)
    }

    static func array(_ bytes: amqp_bytes_t) -> [UInt8] {
        guard bytes.len > 0, let base = bytes.bytes else { return [] }
        return Array(UnsafeRawBufferPointer(start: base, count: bytes.len))
    }

    static func table(_ table: amqp_table_t) -> FieldTable {
        var fields: FieldTable = [:]
        for index in 0..<Int(table.num_entries) {
            let entry = table.entries[index]
            fields[string(entry.key)] = value(entry.value)
        }
        return fields
    }

    static func value(_ field: amqp_field_value_t) -> FieldValue {
        switch amqp_field_value_kind_t(rawValue: UInt32(field.kind)) {
        case AMQP_FIELD_KIND_BOOLEAN: .bool(field.value.boolean != 0)
        case AMQP_FIELD_KIND_I8: .int(Int64(field.value.i8))
        case AMQP_FIELD_KIND_U8: .int(Int64(field.value.u8))
        case AMQP_FIELD_KIND_I16: .int(Int64(field.value.i16))
        case AMQP_FIELD_KIND_U16: .int(Int64(field.value.u16))
        case AMQP_FIELD_KIND_I32: .int(Int64(field.value.i32))
        case AMQP_FIELD_KIND_U32: .int(Int64(field.value.u32))
        case AMQP_FIELD_KIND_I64: .int(field.value.i64)
        case AMQP_FIELD_KIND_U64: .int(Int64(truncatingIfNeeded: field.value.u64))
        case AMQP_FIELD_KIND_F32: .double(Double(field.value.f32))
        case AMQP_FIELD_KIND_F64: .double(field.value.f64)
        case AMQP_FIELD_KIND_UTF8: .string(string(field.value.bytes))
        case AMQP_FIELD_KIND_BYTES: .bytes(array(field.value.bytes))
        case AMQP_FIELD_KIND_TIMESTAMP: .timestamp(field.value.u64)
        case AMQP_FIELD_KIND_TABLE: .table(table(field.value.table))
        case AMQP_FIELD_KIND_ARRAY:
            .array((0..<Int(field.value.array.num_entries)).map { value(field.value.array.entries[$0]) })
        default: .void
        }
    }
}
