/// The job categories (`Functcat`) of the synthetic appointments, with the salary scales each pays.
///
/// The categories and scales follow the Dutch university job classification loosely, enough for the wage-gap
/// analysis to find realistic differences between categories.
enum FunctionCategory: String, Sendable, CaseIterable {
    case promovendus = "PROMOV"
    case onderzoeker = "ONDZ"
    case docent = "DOC"
    case universitairDocent = "UD"
    case universitairHoofddocent = "UHD"
    case hoogleraar = "HGL"
    case ondersteunend = "OBP"

    /// The category of a person's earlier appointment: one step down the academic ladder.
    var previous: FunctionCategory {
        switch self {
        case .promovendus, .onderzoeker: .promovendus
        case .docent: .onderzoeker
        case .universitairDocent: .onderzoeker
        case .universitairHoofddocent: .universitairDocent
        case .hoogleraar: .universitairHoofddocent
        case .ondersteunend: .ondersteunend
        }
    }

    /// The salary scales this category pays, lowest first.
    var scales: ClosedRange<Int> {
        switch self {
        case .promovendus: 10...10
        case .onderzoeker: 10...11
        case .docent: 10...12
        case .universitairDocent: 11...12
        case .universitairHoofddocent: 13...14
        case .hoogleraar: 16...18
        case .ondersteunend: 4...13
        }
    }

    /// How likely the last appointment in this category is permanent.
    var permanentChance: Double {
        switch self {
        case .promovendus: 0
        case .onderzoeker: 0.15
        case .docent: 0.5
        case .universitairDocent: 0.75
        case .universitairHoofddocent: 0.9
        case .hoogleraar: 0.95
        case .ondersteunend: 0.7
        }
    }

    /// How likely a person whose last appointment is in this category holds the basic teaching qualification.
    var teachingQualificationChance: Double {
        switch self {
        case .promovendus: 0.03
        case .onderzoeker: 0.15
        case .docent, .universitairDocent: 0.7
        case .universitairHoofddocent, .hoogleraar: 0.85
        case .ondersteunend: 0
        }
    }

    /// Weights for a person's current category by age and sex; women are less often professor and more often
    /// support staff, which is what the wage-gap analysis looks for.
    static func weights(age: Int, female: Bool) -> [(FunctionCategory, weight: Int)] {
        [
            (.promovendus, age < 36 ? 40 : 0),
            (.onderzoeker, age < 45 ? 14 : 4),
            (.docent, female ? 13 : 10),
            (.universitairDocent, age >= 30 ? (female ? 12 : 14) : 2),
            (.universitairHoofddocent, age >= 36 ? (female ? 6 : 9) : 0),
            (.hoogleraar, age >= 40 ? (female ? 4 : 9) : 0),
            (.ondersteunend, female ? 36 : 26),
        ]
    }
}
