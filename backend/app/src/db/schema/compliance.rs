//! Cases, payslips, findings, fee reports, complaints and broker reports.

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
        routed_to -> Text,
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
    pay_gaps (placement_id, period_start) {
        placement_id -> Text,
        period_start -> Date,
        period_end -> Date,
        employer_id -> Text,
        case_id -> Text,
        found_at -> Timestamp,
        settled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    broker_reports (id) {
        id -> Text,
        reference -> Text,
        kinds -> Text,
        broker_name -> Nullable<Text>,
        broker_phone -> Nullable<Text>,
        place -> Nullable<Text>,
        region_code -> Nullable<Text>,
        occurred_on -> Nullable<Date>,
        amount_asked_fen -> Nullable<BigInt>,
        amount_asked_vnd -> Nullable<BigInt>,
        description -> Nullable<Text>,
        language -> Text,
        contact -> Nullable<Text>,
        filed_by -> Nullable<Text>,
        case_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    ratings (id) {
        id -> Text,
        placement_id -> Text,
        subject_kind -> Text,
        subject_id -> Text,
        score -> Integer,
        text -> Nullable<Text>,
        text_status -> Text,
        created_at -> Timestamp,
        moderated_by -> Nullable<Text>,
        moderated_at -> Nullable<Timestamp>,
    }
}
