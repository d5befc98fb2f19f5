/// One generated person, before it becomes a `Personen` row.
struct PersonRecord: Sendable {
    var unieknr: Int64
    var female: Bool
    var birth: CivilDate
    var nationaliteit: String?
    var bko: Int64
    var sko: Int64
}
