import ArgumentParser
import DynamosDatagen
import DynamosMessages
import Foundation

/// `dynamos datagen`: writes synthetic UNL wage-gap files per steward, so workers and benchmarks have data
/// of the real shape without the confidential originals.
struct DatagenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datagen",
        abstract: "Write synthetic UNL data: DIR/<party>/Personen.csv and Aanstellingen.csv, deterministic by seed."
    )

    @Option(help: "The directory to write into; each party gets its own subdirectory.")
    var out: String

    @Option(
        name: [.customLong("party"), .customLong("parties")],
        help: "A steward or comma-separated stewards, from: \(Steward.known.map(\.name).joined(separator: ", ")).")
    var parties = "UVA,VU,RUG"

    @Option(help: "Personen rows per party (each person has 1 to 3 Aanstellingen rows).")
    var rows = UNLDataGenerator.defaultPersonCount

    @Option(help: "The seed; the same seed gives byte-identical files.")
    var seed: UInt64 = 1

    @Option(help: "The line ending: lf, crlf, crcrlf or cr (real UNL files use all four).")
    var lineEnding = "lf"

    func validate() throws {
        _ = try stewards()
        _ = try csvLineEnding()
        guard rows >= 0 else {
            throw ValidationError("--rows must be 0 or more, got \(rows)")
        }
    }

    func run() throws {
        let generator = UNLDataGenerator(seed: seed, personCount: rows)
        let ending = try csvLineEnding()
        let root = URL(fileURLWithPath: out, isDirectory: true)
        for steward in try stewards() {
            let dataset = generator.dataset(for: steward)
            let directory = root.appendingPathComponent(steward.name, isDirectory: true)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            for file in dataset.csvFiles(lineEnding: ending) {
                try Data(file.text.utf8).write(to: directory.appendingPathComponent(file.fileName), options: .atomic)
            }
            print(
                "\(steward.name): \(dataset.personen.rowCount) Personen, "
                    + "\(dataset.aanstellingen.rowCount) Aanstellingen -> \(directory.path)"
            )
        }
    }

    private func stewards() throws -> [Steward] {
        let names = parties.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty, !names.contains(where: \.isEmpty) else {
            throw ValidationError("--parties needs comma-separated steward names, e.g. UVA,VU,RUG")
        }
        return try names.map { name in
            guard let steward = Steward.named(name) else {
                let known = Steward.known.map(\.name).joined(separator: ", ")
                throw ValidationError("unknown party '\(name)'; use one of \(known)")
            }
            return steward
        }
    }

    private func csvLineEnding() throws -> CSVLineEnding {
        guard let ending = CSVLineEnding(rawValue: lineEnding.lowercased()) else {
            throw ValidationError("--line-ending must be lf, crlf, crcrlf or cr, got '\(lineEnding)'")
        }
        return ending
    }
}
