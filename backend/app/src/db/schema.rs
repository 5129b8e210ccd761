//! The tables, in portable column types only (written by hand: one schema, two backends).

diesel::table! {
    users (id) {
        id -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        password_hash -> Text,
        role -> Text,
        org_id -> Nullable<Text>,
        created_at -> Timestamp,
        language -> Nullable<Text>,
        activated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        auth_method -> Text,
    }
}

diesel::table! {
    account_codes (id) {
        id -> Text,
        purpose -> Text,
        worker_id -> Nullable<Text>,
        user_id -> Nullable<Text>,
        channel -> Text,
        address -> Text,
        code_hash -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        attempts -> Integer,
        ended_at -> Nullable<Timestamp>,
        ended_as -> Nullable<Text>,
    }
}

diesel::table! {
    rate_limits (key, window_start) {
        key -> Text,
        window_start -> Timestamp,
        hits -> Integer,
    }
}

diesel::table! {
    authorities (id) {
        id -> Text,
        name -> Text,
        country -> Text,
        region_code -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    regions (code) {
        code -> Text,
        parent_code -> Nullable<Text>,
        country -> Text,
        level -> Text,
        name_zh -> Text,
        name_vi -> Text,
        name_en -> Text,
        lat_e6 -> Nullable<BigInt>,
        lon_e6 -> Nullable<BigInt>,
        source -> Text,
    }
}

diesel::table! {
    occupations (code) {
        code -> Text,
        name_zh -> Text,
        name_vi -> Text,
        name_en -> Text,
    }
}

diesel::table! {
    skills (code) {
        code -> Text,
        name_zh -> Text,
        name_vi -> Text,
        name_en -> Text,
    }
}

diesel::table! {
    crossings (code) {
        code -> Text,
        cn_region_code -> Text,
        vn_region_code -> Text,
        name_zh -> Text,
        name_vi -> Text,
        name_en -> Text,
        lat_e6 -> BigInt,
        lon_e6 -> BigInt,
    }
}

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

diesel::table! {
    agencies (id) {
        id -> Text,
        name -> Text,
        country -> Text,
        licence_number -> Text,
        licence_valid_from -> Date,
        licence_valid_until -> Date,
        licence_state -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    licence_events (id) {
        id -> Text,
        agency_id -> Text,
        event -> Text,
        reason -> Nullable<Text>,
        by_user_id -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    workers (id) {
        id -> Text,
        agency_id -> Text,
        full_name -> Text,
        date_of_birth -> Date,
        gender -> Text,
        id_document_number -> Text,
        home_province_code -> Text,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        available_from -> Date,
        available_until -> Date,
        seasons_worked -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        skill_codes -> Text,
        language_codes -> Text,
        returned_on_time_count -> Integer,
    }
}

diesel::table! {
    worker_skills (worker_id, skill_code) {
        worker_id -> Text,
        skill_code -> Text,
    }
}

diesel::table! {
    worker_languages (worker_id, language) {
        worker_id -> Text,
        language -> Text,
    }
}

diesel::table! {
    worker_returns (id) {
        id -> Text,
        worker_id -> Text,
        placement_id -> Nullable<Text>,
        employer_id -> Nullable<Text>,
        season_start -> Date,
        season_end -> Date,
        returned_on -> Nullable<Date>,
        returned_on_time -> Bool,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    placements (id) {
        id -> Text,
        vacancy_id -> Text,
        worker_id -> Text,
        agency_id -> Text,
        employer_id -> Text,
        status -> Text,
        contract_version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    placement_events (id) {
        id -> Text,
        placement_id -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        by_user_id -> Nullable<Text>,
        note -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    contracts (placement_id, version) {
        placement_id -> Text,
        version -> Integer,
        terms -> Text,
        sha256 -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    contract_acceptances (id) {
        id -> Text,
        placement_id -> Text,
        version -> Integer,
        sha256 -> Text,
        language -> Text,
        by_user_id -> Text,
        accepted_at -> Timestamp,
        auth_method -> Nullable<Text>,
        authenticated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    permits (number) {
        number -> Text,
        placement_id -> Text,
        check_code -> Text,
        valid_from -> Date,
        valid_until -> Date,
        status -> Text,
        issued_by -> Text,
        issued_at -> Timestamp,
        revoked_by -> Nullable<Text>,
        revoked_at -> Nullable<Timestamp>,
        revoked_reason -> Nullable<Text>,
        holder_name -> Nullable<Text>,
        holder_date_of_birth -> Nullable<Date>,
    }
}

diesel::table! {
    border_events (id) {
        id -> Text,
        placement_id -> Text,
        kind -> Text,
        crossing_code -> Text,
        at -> Timestamp,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    named_requests (vacancy_id, worker_id) {
        vacancy_id -> Text,
        worker_id -> Text,
        by_user_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    alerts (id) {
        id -> Text,
        kind -> Text,
        placement_id -> Text,
        raised_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        at -> Timestamp,
        actor_user_id -> Nullable<Text>,
        action -> Text,
        subject_kind -> Text,
        subject_id -> Text,
        detail -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    audit_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    cases (id) {
        id -> Text,
        kind -> Text,
        subject_kind -> Text,
        subject_id -> Nullable<Text>,
        region_code -> Nullable<Text>,
        placement_id -> Nullable<Text>,
        status -> Text,
        assigned_to -> Nullable<Text>,
        amount_owed_fen -> BigInt,
        outcome -> Nullable<Text>,
        amount_recovered_fen -> Nullable<BigInt>,
        opened_at -> Timestamp,
        resolved_at -> Nullable<Timestamp>,
        upheld -> Nullable<Bool>,
    }
}

diesel::table! {
    case_notes (id) {
        id -> Text,
        case_id -> Text,
        by_user_id -> Text,
        note -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    payslips (id) {
        id -> Text,
        placement_id -> Text,
        employer_id -> Text,
        period_start -> Date,
        period_end -> Date,
        minutes_worked -> BigInt,
        gross_fen -> BigInt,
        deductions_fen -> BigInt,
        net_fen -> BigInt,
        paid_on -> Date,
        floor_hourly_fen -> BigInt,
        compliant -> Bool,
        case_id -> Nullable<Text>,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    payslip_deductions (payslip_id, position) {
        payslip_id -> Text,
        position -> Integer,
        kind -> Text,
        fen -> BigInt,
    }
}

diesel::table! {
    findings (id) {
        id -> Text,
        case_id -> Text,
        payslip_id -> Nullable<Text>,
        placement_id -> Nullable<Text>,
        code -> Text,
        required -> BigInt,
        actual -> BigInt,
        owed_fen -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    fee_reports (id) {
        id -> Text,
        worker_id -> Text,
        agency_id -> Text,
        amount_fen -> BigInt,
        paid_on -> Date,
        paid_to -> Text,
        description -> Text,
        case_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    complaints (id) {
        id -> Text,
        reference -> Text,
        category -> Text,
        agency_id -> Nullable<Text>,
        employer_id -> Nullable<Text>,
        text -> Text,
        language -> Text,
        contact -> Nullable<Text>,
        filed_by -> Nullable<Text>,
        case_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    event_head (id) {
        id -> Integer,
        seq -> BigInt,
    }
}

diesel::table! {
    events (seq) {
        seq -> BigInt,
        id -> Text,
        event_type -> Text,
        at -> Timestamp,
        subject_key -> Text,
        subject -> Text,
        data -> Text,
        identity -> Nullable<Text>,
    }
}

diesel::table! {
    event_marks (mark, subject_key) {
        mark -> Text,
        subject_key -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    partners (id) {
        id -> Text,
        name -> Text,
        url -> Text,
        event_types -> Text,
        secret -> Text,
        key_hash -> Text,
        permit_authority -> Bool,
        created_by -> Text,
        created_at -> Timestamp,
        removed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    deliveries (id) {
        id -> Text,
        partner_id -> Text,
        event_seq -> BigInt,
        subject_key -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        retry_since -> Timestamp,
        claim -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        last_status -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    notices (id) {
        id -> Text,
        event_seq -> Nullable<BigInt>,
        code_id -> Nullable<Text>,
        channel -> Text,
        recipient -> Text,
        language -> Text,
        subject -> Text,
        body -> Text,
        link -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claim -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    access_log (worker_id, user_id, china_day) {
        worker_id -> Text,
        user_id -> Text,
        agency_id -> Text,
        at -> Timestamp,
        china_day -> Date,
    }
}

diesel::joinable!(vacancies -> employers (employer_id));
diesel::joinable!(case_notes -> cases (case_id));
diesel::joinable!(payslips -> placements (placement_id));
diesel::joinable!(payslip_deductions -> payslips (payslip_id));
diesel::joinable!(findings -> cases (case_id));
diesel::joinable!(fee_reports -> cases (case_id));
diesel::joinable!(placements -> vacancies (vacancy_id));
diesel::joinable!(placements -> workers (worker_id));
diesel::joinable!(placements -> agencies (agency_id));
diesel::joinable!(placements -> employers (employer_id));
diesel::joinable!(placement_events -> placements (placement_id));
diesel::joinable!(contracts -> placements (placement_id));
diesel::joinable!(permits -> placements (placement_id));
diesel::joinable!(border_events -> placements (placement_id));
diesel::joinable!(alerts -> placements (placement_id));
diesel::joinable!(vacancy_deductions -> vacancies (vacancy_id));
diesel::joinable!(vacancy_skills -> vacancies (vacancy_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(licence_events -> agencies (agency_id));
diesel::joinable!(workers -> agencies (agency_id));
diesel::joinable!(worker_skills -> workers (worker_id));
diesel::joinable!(worker_languages -> workers (worker_id));
diesel::joinable!(worker_returns -> workers (worker_id));
diesel::joinable!(worker_returns -> employers (employer_id));
diesel::joinable!(deliveries -> partners (partner_id));
diesel::joinable!(deliveries -> events (event_seq));
diesel::joinable!(notices -> events (event_seq));
diesel::joinable!(access_log -> workers (worker_id));
diesel::joinable!(access_log -> users (user_id));
diesel::joinable!(access_log -> agencies (agency_id));

diesel::joinable!(authorities -> regions (region_code));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    authorities,
    sessions,
    account_codes,
    rate_limits,
    regions,
    occupations,
    skills,
    crossings,
    employers,
    wage_floor_rules,
    wage_floor_guard,
    vacancies,
    vacancy_deductions,
    vacancy_skills,
    agencies,
    licence_events,
    workers,
    worker_skills,
    worker_languages,
    worker_returns,
    placements,
    placement_events,
    contracts,
    contract_acceptances,
    permits,
    border_events,
    named_requests,
    alerts,
    audit_log,
    audit_head,
    cases,
    case_notes,
    payslips,
    payslip_deductions,
    findings,
    fee_reports,
    complaints,
    event_head,
    events,
    event_marks,
    partners,
    deliveries,
    notices,
    access_log,
);
