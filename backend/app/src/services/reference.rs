//! Reference data as the API and pages show it, names in the three languages.

use serde::Serialize;
use utoipa::ToSchema;

use crate::db::{self, DbConnection, reference};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Names {
    #[serde(rename = "zh-CN")]
    pub zh_cn: String,
    pub vi: String,
    pub en: String,
}

impl Names {
    fn new(zh: &str, vi: &str, en: &str) -> Names {
        Names { zh_cn: zh.to_owned(), vi: vi.to_owned(), en: en.to_owned() }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.zh_cn,
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Region {
    pub code: String,
    pub parent_code: Option<String>,
    /// "CN" or "VN".
    pub country: String,
    /// country, province, prefecture or county.
    pub level: String,
    pub names: Names,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Coded {
    pub code: String,
    pub names: Names,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Crossing {
    pub code: String,
    pub cn_region_code: String,
    pub vn_region_code: String,
    pub names: Names,
}

/// Whether employers and vacancies may be placed in a region: a Chinese prefecture or county.
pub fn is_receiving(country: &str, level: &str) -> bool {
    country == "CN" && matches!(level, "prefecture" | "county")
}

/// All reference data at once (a few dozen rows).
#[derive(Debug, Clone)]
pub struct Reference {
    pub regions: Vec<Region>,
    pub occupations: Vec<Coded>,
    pub skills: Vec<Coded>,
    pub crossings: Vec<Crossing>,
}

impl Reference {
    /// The reference data, read in its own connection.
    pub async fn read(state: &AppState) -> Result<Reference, AppError> {
        db::run(&state.pool, Reference::load).await
    }

    pub fn load(conn: &mut DbConnection) -> Result<Reference, AppError> {
        Ok(Reference {
            regions: reference::regions(conn)?
                .into_iter()
                .map(|r| Region {
                    names: Names::new(&r.name_zh, &r.name_vi, &r.name_en),
                    code: r.code,
                    parent_code: r.parent_code,
                    country: r.country,
                    level: r.level,
                    source: r.source,
                })
                .collect(),
            occupations: reference::occupations(conn)?
                .into_iter()
                .map(|o| Coded { names: Names::new(&o.name_zh, &o.name_vi, &o.name_en), code: o.code })
                .collect(),
            skills: reference::skills(conn)?
                .into_iter()
                .map(|s| Coded { names: Names::new(&s.name_zh, &s.name_vi, &s.name_en), code: s.code })
                .collect(),
            crossings: reference::crossings(conn)?
                .into_iter()
                .map(|c| Crossing {
                    names: Names::new(&c.name_zh, &c.name_vi, &c.name_en),
                    code: c.code,
                    cn_region_code: c.cn_region_code,
                    vn_region_code: c.vn_region_code,
                })
                .collect(),
        })
    }

    /// The name of a region, occupation, skill or crossing code in `lang`, or the code itself.
    pub fn name<'a>(&'a self, code: &'a str, lang: Lang) -> &'a str {
        let regions = self.regions.iter().map(|r| (&r.code, &r.names));
        let coded = self.occupations.iter().chain(&self.skills).map(|c| (&c.code, &c.names));
        let crossings = self.crossings.iter().map(|c| (&c.code, &c.names));
        regions.chain(coded).chain(crossings).find(|(c, _)| *c == code).map_or(code, |(_, n)| n.get(lang))
    }

    /// The prefecture a county lies in; any other region is its own.
    pub fn prefecture_of<'a>(&'a self, code: &'a str) -> &'a str {
        match self.regions.iter().find(|r| r.code == code) {
            Some(region) if region.level == "county" => region.parent_code.as_deref().unwrap_or(code),
            _ => code,
        }
    }

    /// Chinese regions where vacancies can be (prefectures and counties).
    pub fn receiving_regions(&self) -> impl Iterator<Item = &Region> {
        self.regions.iter().filter(|r| is_receiving(&r.country, &r.level))
    }

    /// `code` and every region below it.
    pub fn region_and_descendants(&self, code: &str) -> Vec<String> {
        crate::domain::region::and_below(
            code,
            self.regions.iter().map(|r| (r.code.as_str(), r.parent_code.as_deref())),
        )
    }
}
