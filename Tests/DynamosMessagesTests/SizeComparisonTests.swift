import DynamosDatagen
import DynamosMessages
import Foundation
import PropertyBased
import SwiftProtobuf
import Testing

@Suite("size comparison with the thesis formats")
struct SizeComparisonTests {
    /// The thesis's measurements for 30,000 joined rows.
    static let thesisStructBytes = 4_036_759
    static let thesisJSONBytes = 3_542_934

    @Test("30,000 joined UNL rows: at most half the thesis Struct, smaller than its JSON, and than our renderings")
    func unlJoinTarget() throws {
        let joined = UNLDataGenerator(seed: 1).dataset(for: Steward.named("UVA")!).joined(limit: 30_000)
        #expect(joined.rowCount == 30_000)
        #expect(joined.columnCount == 21)
        let sizes = joined.encodingSizes()
        print(
            """
            UNL join, 30,000 rows x 21 columns:
              columnar Dynamos_Table        \(sizes.columnar) B
              JSON row objects              \(sizes.rowObjectsJSON) B
              JSON column string lists      \(sizes.columnStringListsJSON) B
              Struct per row (ListValue)    \(sizes.rowStructs) B
              Struct of column string lists \(sizes.columnStringListsStruct) B
              thesis Struct / JSON          \(Self.thesisStructBytes) B / \(Self.thesisJSONBytes) B
            """
        )
        #expect(sizes.columnar <= Self.thesisStructBytes / 2)
        #expect(sizes.columnar < Self.thesisJSONBytes)
        #expect(sizes.columnar * 2 < sizes.rowStructs)
        #expect(sizes.columnar * 2 < sizes.columnStringListsStruct)
        #expect(sizes.columnar < sizes.rowObjectsJSON)
        #expect(sizes.columnar < sizes.columnStringListsJSON)
    }

    @Test("computed Struct sizes equal the serialized messages")
    func structSizesMatchSerialization() async throws {
        await propertyCheck(count: 150, input: Gen.int(in: 0...25), Gen.int(in: 0...6), Gen.uint64()) {
            rows, columns, seed in
            let table = RandomTables.table(rows: rows, columns: columns, seed: seed)
            let rowStructs: [UInt8] = try table.rowStructs().serializedBytes()
            let columnLists: [UInt8] = try table.columnStringListsStruct().serializedBytes()
            #expect(table.rowStructsByteCount() == rowStructs.count)
            #expect(table.columnStringListsStructByteCount() == columnLists.count)
        }
        let sample = UNLDataGenerator(seed: 2, personCount: 600).dataset(for: Steward.named("VU")!).joined()
        let rowStructs: [UInt8] = try sample.rowStructs().serializedBytes()
        #expect(sample.rowStructsByteCount() == rowStructs.count)
        let columnLists: [UInt8] = try sample.columnStringListsStruct().serializedBytes()
        #expect(sample.columnStringListsStructByteCount() == columnLists.count)
    }

    @Test("JSON renderings parse, and later duplicate columns win")
    func jsonShapes() throws {
        let table = try DataTable(columns: [
            .integer("Instcode", [6, 7]), .text("naam \"x\"\n", ["a\u{1}b", nil]), .real("r", [0.5, .nan]),
            .blob("b", [[255], nil]), .integer("Instcode", [60, 70]),
        ])
        let rows = try JSONSerialization.jsonObject(with: Data(table.rowObjectsJSON())) as? [[String: Any]]
        #expect(rows?.count == 2)
        #expect(rows?[0]["Instcode"] as? Int == 60)
        #expect(rows?[0]["naam \"x\"\n"] as? String == "a\u{1}b")
        #expect(rows?[1]["r"] is NSNull)
        #expect(rows?[0]["b"] as? String == "/w==")
        #expect(rows?[0].count == 4)
        let lists = try JSONSerialization.jsonObject(with: Data(table.columnStringListsJSON())) as? [String: [String]]
        #expect(lists?["Instcode"] == ["60", "70"])
        #expect(lists?["r"] == ["0.5", "nan"])
        #expect(lists?["naam \"x\"\n"] == ["a\u{1}b", "nan"])
        let structs = table.rowStructs()
        #expect(structs.values.count == 2)
        #expect(structs.values[0].structValue.fields["Instcode"]?.numberValue == 60)
        #expect(table.columnStringListsStruct().fields.count == 4)
    }

    @Test("random tables give valid row-object JSON")
    func randomJSONParses() async throws {
        await propertyCheck(count: 100, input: Gen.int(in: 0...20), Gen.int(in: 0...6), Gen.uint64()) {
            rows, columns, seed in
            let table = RandomTables.table(rows: rows, columns: columns, seed: seed)
            let parsed = try JSONSerialization.jsonObject(with: Data(table.rowObjectsJSON())) as? [Any]
            #expect(parsed?.count == rows)
            let lists = try JSONSerialization.jsonObject(with: Data(table.columnStringListsJSON())) as? [String: Any]
            #expect(lists?.count == Set(table.columnNames).count)
        }
    }
}
