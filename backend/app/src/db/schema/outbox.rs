//! The outbox: events, partners, deliveries and notices.

diesel::table! {
    event_head (id) {
        id -> Integer,
        seq -> BigInt,
        position -> BigInt,
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
        position -> Nullable<BigInt>,
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
    /// The periods each periodic job has been claimed for, and by which server
    /// (`db::jobs::claim`).
    job_runs (job, period) {
        job -> Text,
        period -> BigInt,
        instance -> Text,
        started_at -> Timestamp,
    }
}
