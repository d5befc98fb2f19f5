/// Plans one person's career of appointments: how many, in which categories, from when to when, at what scale.
///
/// Earlier appointments are temporary and end the day before the next one starts; the last one is permanent
/// (open-ended, `Eindatdv` 99990101) with a category-dependent chance, otherwise it ends one to five years
/// after it started.
struct AppointmentPlanner {
    let person: PersonRecord
    let peildat: CivilDate

    private static let partTimeFactors: [(Double, weight: Int)] = [
        (1.0, 50), (0.8, 20), (0.9, 8), (0.6, 8), (0.5, 7), (0.4, 4), (0.2, 3),
    ]

    func plan(rng: inout SplitMix64) -> [AppointmentRecord] {
        let count = rng.pick([(1, 40), (2, 40), (3, 20)])
        let age = peildat.year - person.birth.year
        var categories = [rng.pick(FunctionCategory.weights(age: age, female: person.female))]
        while categories.count < count {
            categories.insert(categories[0].previous, at: 0)
        }
        let starts = startDates(count: count, rng: &rng)
        let area = Int64(1 + rng.next(below: 10))
        var appointments: [AppointmentRecord] = []
        for (index, category) in categories.enumerated() {
            let isLast = index == count - 1
            let permanent = isLast && rng.chance(category.permanentChance)
            let end: CivilDate?
            if permanent {
                end = nil
            } else if isLast {
                end = starts[index].adding(days: 365 * rng.int(in: 1...5) - 1)
            } else {
                end = max(starts[index], starts[index + 1].adding(days: -1))
            }
            appointments.append(
                AppointmentRecord(
                    unieknr: person.unieknr,
                    volgnr: Int64(index + 1),
                    aard: permanent ? 1 : 2,
                    start: starts[index],
                    end: end,
                    hoopgebied: category == .ondersteunend ? nil : area,
                    functcat: category,
                    salschal: scale(for: category, rng: &rng),
                    taakomv: category == .promovendus && rng.chance(0.85)
                        ? 1.0 : rng.pick(Self.partTimeFactors),
                    aanst22: 0
                )
            )
        }
        let year2022 = (CivilDate(year: 2022, month: 1, day: 1), CivilDate(year: 2022, month: 12, day: 31))
        let active2022 = appointments.filter { appointment in
            appointment.start <= year2022.1 && (appointment.end.map { $0 >= year2022.0 } ?? true)
        }.count
        for index in appointments.indices {
            appointments[index].aanst22 = Int64(active2022)
        }
        return appointments
    }

    /// `count` sorted start dates between the person's 22nd-to-26th birthday (not before 1975) and a month
    /// before the reference date.
    private func startDates(count: Int, rng: inout SplitMix64) -> [CivilDate] {
        let careerStart = CivilDate(
            year: person.birth.year + 22 + rng.int(in: 0...4),
            month: person.birth.month,
            day: min(person.birth.day, 28)
        )
        let latest = peildat.adding(days: -30).dayNumber
        var earliest = max(careerStart.dayNumber, CivilDate(year: 1975, month: 1, day: 1).dayNumber)
        if earliest > latest {
            earliest = latest - 365
        }
        return (0..<count)
            .map { _ in rng.int(in: earliest...latest) }
            .sorted()
            .map(CivilDate.init(dayNumber:))
    }

    /// A scale of the category; PhD candidates are paid on their own scale (unknown here, 99) most of the time,
    /// women a step lower a little more often, and 2 % of all scales are unknown.
    private func scale(for category: FunctionCategory, rng: inout SplitMix64) -> Int64 {
        if rng.chance(0.02) || (category == .promovendus && rng.chance(0.7)) {
            return AppointmentRecord.unknownScale
        }
        var scale = rng.int(in: category.scales)
        if person.female && scale > category.scales.lowerBound && rng.chance(0.2) {
            scale -= 1
        }
        return Int64(scale)
    }
}
