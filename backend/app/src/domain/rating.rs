//! Ratings: whom a worker rates after its return.

text_enum! {
    /// Whom a rating is of: the placement's agency or its employer.
    RatingSubject {
        Agency => "agency",
        Employer => "employer",
    }
}
