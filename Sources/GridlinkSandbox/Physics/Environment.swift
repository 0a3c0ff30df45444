import Foundation

/// Conditions at a site that the physics reads: where it is, the weather, and the household's own load.
public struct SiteConditions: Sendable, Codable, Equatable {
    /// Latitude in degrees.
    public var latitude: Double
    /// Longitude in degrees.
    public var longitude: Double
    /// Cloud cover from 0 (clear) to 1 (overcast).
    public var cloudiness: Double
    /// Fixed household load in kW; nil follows the daily pattern.
    public var householdLoadKW: Double?
    /// Fixed outdoor temperature in °C; nil follows the seasonal and daily pattern.
    public var outdoorTemperature: Double?

    /// Oslo, partly cloudy, with the default load pattern.
    public static let standard = SiteConditions(latitude: 59.9139, longitude: 10.7522, cloudiness: 0.3)

    /// Creates site conditions.
    public init(latitude: Double, longitude: Double, cloudiness: Double, householdLoadKW: Double? = nil, outdoorTemperature: Double? = nil) {
        self.latitude = latitude
        self.longitude = longitude
        self.cloudiness = cloudiness
        self.householdLoadKW = householdLoadKW
        self.outdoorTemperature = outdoorTemperature
    }
}

/// Sun position, outdoor temperature and household load as functions of time and place.
public enum Environment {
    private static let secondsPerDay = 86_400.0
    private static let daysPerYear = 365.2422

    /// Day of the year (0 = 1 January) for a date, accurate to within a day.
    static func dayOfYear(_ date: Date) -> Double {
        let days = date.timeIntervalSince1970 / secondsPerDay
        return (days - (days / daysPerYear).rounded(.down) * daysPerYear).rounded(.down)
    }

    /// Local mean solar time in hours (0–24) at `longitude`.
    public static func solarHour(_ date: Date, longitude: Double) -> Double {
        let utcHours = date.timeIntervalSince1970.truncatingRemainder(dividingBy: secondsPerDay) / 3600
        let hour = (utcHours + longitude / 15).truncatingRemainder(dividingBy: 24)
        return hour < 0 ? hour + 24 : hour
    }

    /// Sine of the sun's elevation angle (negative below the horizon).
    public static func sunElevationSine(_ date: Date, latitude: Double, longitude: Double) -> Double {
        let declination = 23.44 * .pi / 180 * sin(2 * .pi * (284 + dayOfYear(date)) / 365)
        let hourAngle = (solarHour(date, longitude: longitude) - 12) * 15 * .pi / 180
        let phi = latitude * .pi / 180
        return sin(phi) * sin(declination) + cos(phi) * cos(declination) * cos(hourAngle)
    }

    /// Output of a PV system rated `ratedKW` under the site's sky, in kW.
    public static func solarPower(ratedKW: Double, at date: Date, site: SiteConditions) -> Double {
        let sine = sunElevationSine(date, latitude: site.latitude, longitude: site.longitude)
        return ratedKW * max(0, sine) * (1 - 0.75 * min(max(site.cloudiness, 0), 1))
    }

    /// Outdoor air temperature in °C: a yearly cycle by latitude plus a daily cycle peaking mid-afternoon.
    public static func outdoorTemperature(at date: Date, site: SiteConditions) -> Double {
        if let fixed = site.outdoorTemperature { return fixed }
        let absoluteLatitude = abs(site.latitude)
        let annualMean = 25 - 0.33 * absoluteLatitude
        let seasonalAmplitude = 4 + 0.15 * absoluteLatitude
        let hemisphere: Double = site.latitude >= 0 ? 1 : -1
        let seasonal = hemisphere * seasonalAmplitude * cos(2 * .pi * (dayOfYear(date) - 200) / 365)
        let daily = 4 * cos(2 * .pi * (solarHour(date, longitude: site.longitude) - 15) / 24)
        return annualMean + seasonal + daily
    }

    /// Household base load in kW: a night floor with morning and evening peaks.
    public static func householdLoad(at date: Date, site: SiteConditions) -> Double {
        if let fixed = site.householdLoadKW { return fixed }
        let hour = solarHour(date, longitude: site.longitude)
        func bump(center: Double, width: Double, height: Double) -> Double {
            let distance = min(abs(hour - center), 24 - abs(hour - center))
            return height * exp(-(distance * distance) / (2 * width * width))
        }
        return 0.35 + bump(center: 7.5, width: 1.2, height: 0.8) + bump(center: 19, width: 2, height: 1.4)
    }
}
