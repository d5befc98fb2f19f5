import DynamosMessages

/// Makes synthetic UNL wage-gap data (`Personen` and `Aanstellingen` per steward), the same for the same seed.
///
/// The real files are confidential; benchmarks and tests need data of the same shape, size and value
/// distributions. Every steward gets its own random stream derived from the seed and its name, so adding a
/// steward does not change the others' data.
public struct UNLDataGenerator: Sendable {
    /// About as many persons as a large Dutch university has in the real data.
    public static let defaultPersonCount = 18_000
    /// The reference date (`Peildat`) of every row.
    public static let peildat: Int64 = 20_221_231

    /// The seed all output derives from.
    public var seed: UInt64
    /// The number of `Personen` rows per steward.
    public var personCount: Int

    /// A generator for `personCount` persons per steward.
    public init(seed: UInt64 = 1, personCount: Int = UNLDataGenerator.defaultPersonCount) {
        precondition(personCount >= 0, "personCount must not be negative")
        self.seed = seed
        self.personCount = personCount
    }

    /// The two tables of `steward`. Unieknr is unique in `Personen`; every appointment refers to a person, and
    /// a person has one to three appointments (about 1.8 on average), so the join has ~1.8 rows per person.
    public func dataset(for steward: Steward) -> UNLDataset {
        var rng = SplitMix64(seed: seed ^ Self.fnv1a(steward.name))
        var persons: [PersonRecord] = []
        var appointments: [AppointmentRecord] = []
        persons.reserveCapacity(personCount)
        appointments.reserveCapacity(personCount * 2)
        var unieknr = 100_000 + Int64(rng.next(below: 900))
        for _ in 0..<personCount {
            unieknr += 1 + Int64(rng.next(below: 8))
            var person = Self.makePerson(unieknr: unieknr, rng: &rng)
            let personal = AppointmentPlanner(person: person, peildat: Self.peildatDate).plan(rng: &rng)
            let current = personal.last?.functcat ?? .ondersteunend
            person.bko = rng.chance(current.teachingQualificationChance) ? 1 : 0
            person.sko = person.bko == 1 && rng.chance(current == .hoogleraar ? 0.4 : 0.15) ? 1 : 0
            persons.append(person)
            appointments.append(contentsOf: personal)
        }
        return UNLDataset(
            steward: steward,
            personen: Self.personenTable(persons, instcode: steward.instcode),
            aanstellingen: Self.aanstellingenTable(appointments, instcode: steward.instcode)
        )
    }

    /// The datasets of several stewards, in the given order.
    public func datasets(for stewards: [Steward]) -> [UNLDataset] {
        stewards.map(dataset(for:))
    }

    static let peildatDate = CivilDate(year: 2022, month: 12, day: 31)

    private static let nationalities: [(String?, weight: Int)] = [
        ("NLD", 700), ("DEU", 50), ("ITA", 30), ("CHN", 30), ("IND", 20), ("BEL", 20), ("GBR", 18), ("ESP", 18),
        ("GRC", 12), ("IRN", 10), ("FRA", 10), ("TUR", 10), ("USA", 10), ("POL", 8), ("PRT", 8), ("BRA", 6),
        ("IDN", 5), ("GHA", 3), (nil, 12),
    ]

    private static func makePerson(unieknr: Int64, rng: inout SplitMix64) -> PersonRecord {
        let female = rng.chance(0.46)
        let earliest = CivilDate(year: 1957, month: 1, day: 1).dayNumber
        let latest = CivilDate(year: 1997, month: 12, day: 31).dayNumber
        let birth = CivilDate(dayNumber: rng.int(in: earliest...latest))
        return PersonRecord(
            unieknr: unieknr,
            female: female,
            birth: birth,
            nationaliteit: rng.pick(nationalities),
            bko: 0,
            sko: 0
        )
    }

    private static func personenTable(_ persons: [PersonRecord], instcode: Int64) -> DataTable {
        let count = persons.count
        return table([
            .integer("Instcode", Array(repeating: instcode, count: count)),
            .integer("Unieknr", persons.map(\.unieknr)),
            .text("Geslacht", persons.map { $0.female ? "V" : "M" }),
            .integer("Gebdat", persons.map(\.birth.yyyymmdd)),
            .text("Nationaliteit", persons.map(\.nationaliteit)),
            .integer("BKO", persons.map(\.bko)),
            .integer("SKO", persons.map(\.sko)),
            .integer("Peildat", Array(repeating: peildat, count: count)),
        ])
    }

    private static func aanstellingenTable(_ appointments: [AppointmentRecord], instcode: Int64) -> DataTable {
        let count = appointments.count
        return table([
            .integer("Instcode", Array(repeating: instcode, count: count)),
            .integer("Unieknr", appointments.map(\.unieknr)),
            .integer("Volgnrar", appointments.map(\.volgnr)),
            .integer("Aadnstvb", appointments.map(\.aard)),
            .integer("Ingdatdv", appointments.map(\.start.yyyymmdd)),
            .integer("Eindatdv", appointments.map { $0.end?.yyyymmdd ?? AppointmentRecord.openEnded }),
            .integer("HOOPgeb", appointments.map(\.hoopgebied)),
            .text("Functcat", appointments.map(\.functcat.rawValue)),
            .integer("WelGeenHGL", appointments.map { $0.functcat == .hoogleraar ? 1 : 0 }),
            .integer("Salschal", appointments.map(\.salschal)),
            .real("Taakomv", appointments.map(\.taakomv)),
            .integer("Aanst_22", appointments.map(\.aanst22)),
            .integer("Peildat", Array(repeating: peildat, count: count)),
        ])
    }

    private static func table(_ columns: [DataColumn]) -> DataTable {
        do {
            return try DataTable(columns: columns)
        } catch {
            preconditionFailure("generated columns out of step: \(error)")
        }
    }

    /// FNV-1a of the UTF-8 name: a stable per-steward seed offset (Swift's `Hasher` is randomized per process).
    private static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xCBF2_9CE4_8422_2325) { hash, byte in (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    }
}
