//! What a compliance case is about, where it stands, and which side works it.

use super::authority::Country;

text_enum!(
    /// What went wrong.
    CaseKind {
        /// A payslip below the floor, or deductions over the cap.
        Wage => "wage",
        /// Paid hours below three quarters of the guarantee.
        Hours => "hours",
        /// A fee a worker paid.
        Fee => "fee",
        /// A complaint from anyone.
        Complaint => "complaint",
        /// A report against an unlicensed broker, from anyone.
        Broker => "broker",
    }
);

text_enum!(
    /// Whom a case is against.
    SubjectKind {
        Employer => "employer",
        Agency => "agency",
        /// A complaint that names no party.
        None => "none",
        /// An unlicensed broker, as a report names it: a person or business, not an account.
        Broker => "broker",
    }
);

text_enum!(
    /// Where a case stands.
    CaseStatus {
        Open => "open",
        Assigned => "assigned",
        Resolved => "resolved",
    }
);

impl CaseStatus {
    /// Whether a regulator still has work to do on it.
    pub fn is_open(self) -> bool {
        self != CaseStatus::Resolved
    }
}

/// The side a case is routed to: the authority of the party it concerns. A case against an
/// employer (wages, hours, a complaint about it) is China's side's; one against an agency (a
/// fee, a complaint about it) is the side of the agency's country, `agency_country`; a
/// complaint that names no party is China's side's, where the work, the worksite and the
/// permits are. A report against an unlicensed broker goes to Viet Nam's side first, where the
/// broker recruits and the workers it takes live; China's side reads it.
pub fn routed_to(subject: SubjectKind, agency_country: Option<Country>) -> Country {
    match (subject, agency_country) {
        (SubjectKind::Agency, Some(country)) => country,
        (SubjectKind::Broker, _) => Country::VN,
        _ => Country::CN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_value_reads_back_from_its_text_and_serialises_as_it() {
        for kind in CaseKind::ALL {
            assert_eq!(CaseKind::parse(kind.as_str()), Some(*kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
        for status in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(status.as_str()), Some(*status));
        }
        assert_eq!(SubjectKind::parse("none"), Some(SubjectKind::None));
        assert_eq!(CaseStatus::parse("closed"), None);
        assert!(CaseStatus::Assigned.is_open() && !CaseStatus::Resolved.is_open());
    }

    #[test]
    fn a_case_goes_to_the_side_of_the_party_it_concerns() {
        assert_eq!(routed_to(SubjectKind::Employer, None), Country::CN);
        assert_eq!(routed_to(SubjectKind::Agency, Some(Country::VN)), Country::VN);
        assert_eq!(routed_to(SubjectKind::Agency, Some(Country::CN)), Country::CN);
        assert_eq!(routed_to(SubjectKind::None, None), Country::CN);
        assert_eq!(routed_to(SubjectKind::Broker, None), Country::VN, "Viet Nam's side first");
    }
}
