//! Reference data: regions, occupations, skills, crossings.

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
