//! Employers, wage floors and vacancies.

diesel::table! {
    employers (id) {
        id -> Text,
        name -> Text,
        registration_no -> Text,
        region_code -> Text,
        status -> Text,
        verified_at -> Nullable<Timestamp>,
        verified_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    wage_floor_rules (id) {
        id -> Text,
        region_code -> Text,
        occupation_code -> Nullable<Text>,
        kind -> Text,
        hourly_fen -> BigInt,
        monthly_fen -> Nullable<BigInt>,
        effective_from -> Date,
        effective_to -> Nullable<Date>,
        source -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    wage_floor_guard (id) {
        id -> Integer,
        writes -> BigInt,
    }
}

diesel::table! {
    vacancies (id) {
        id -> Text,
        employer_id -> Text,
        title -> Text,
        occupation_code -> Text,
        region_code -> Text,
        crossing_code -> Text,
        headcount -> Integer,
        season_start -> Date,
        season_end -> Date,
        hours_per_week -> Integer,
        guaranteed_hours_per_week -> Integer,
        pay_basis -> Text,
        wage_fen -> BigInt,
        piece_unit -> Nullable<Text>,
        guaranteed_hourly_fen -> Nullable<BigInt>,
        housing_provided -> Bool,
        description_zh -> Nullable<Text>,
        description_vi -> Nullable<Text>,
        status -> Text,
        hourly_equivalent_fen -> BigInt,
        floor_hourly_fen -> BigInt,
        floor_rule_id -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        seats_taken -> Integer,
        opened_at -> Nullable<Timestamp>,
        open_to_agencies_on -> Nullable<Date>,
        local_hires -> Integer,
    }
}

diesel::table! {
    vacancy_insurance (vacancy_id) {
        vacancy_id -> Text,
        insurer -> Text,
        policy_number -> Text,
        work_injury_cover_fen -> BigInt,
        return_cover_fen -> BigInt,
        paid_by -> Text,
    }
}

diesel::table! {
    local_hires (id) {
        id -> Text,
        vacancy_id -> Text,
        people -> Integer,
        hired_on -> Date,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    vacancy_deductions (vacancy_id, position) {
        vacancy_id -> Text,
        position -> Integer,
        kind -> Text,
        fen_per_month -> BigInt,
    }
}

diesel::table! {
    vacancy_skills (vacancy_id, skill_code) {
        vacancy_id -> Text,
        skill_code -> Text,
    }
}
