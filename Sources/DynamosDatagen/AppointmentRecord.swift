/// One generated appointment, before it becomes an `Aanstellingen` row.
struct AppointmentRecord: Sendable {
    /// `Eindatdv` of an open-ended (permanent) appointment.
    static let openEnded: Int64 = 99_990_101
    /// `Salschal` when the scale is unknown.
    static let unknownScale: Int64 = 99

    var unieknr: Int64
    var volgnr: Int64
    /// `Aadnstvb`: 1 permanent, 2 temporary.
    var aard: Int64
    var start: CivilDate
    /// `nil` for an open-ended appointment.
    var end: CivilDate?
    /// `nil` for support staff, who belong to no HOOP area.
    var hoopgebied: Int64?
    var functcat: FunctionCategory
    var salschal: Int64
    var taakomv: Double
    /// How many of the person's appointments ran at some time in 2022.
    var aanst22: Int64
}
