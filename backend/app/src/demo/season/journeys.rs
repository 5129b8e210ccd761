//! The last season's journeys as rows: each seat's placement with its timeline, contract,
//! acceptance, permit, crossings, return, alert, payslips, findings and cases, batch by batch
//! of vacancies, each batch written in the order its foreign keys need.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::{Fate, Loader, RULES, SeasonReport, VACANCIES_PER_BATCH, china, china_day, internal, naive};
use crate::db::DbConnection;
use crate::db::bulk::{self, AlertRow};
use crate::db::compliance::{CaseRow, FindingRow, PayslipDeductionRow, PayslipRow};
use crate::db::placements::{
    AcceptanceRow, BorderEventRow, ContractRow, EventRow, InsuranceCheckRow, OrientationRow, PermitRow,
    PlacementRow,
};
use crate::db::workers::ReturnRow;
use crate::domain::case::{CaseKind, SubjectKind};
use crate::domain::contract::Terms;
use crate::domain::money::Fen;
use crate::domain::pay::PayBasis;
use crate::domain::pay_period::{Period, half_months};
use crate::domain::payslip::{self, Finding, Payslip, PayslipDeduction};
use crate::domain::placement::{Action, Status, next};
use crate::error::AppError;
use crate::ids::{CaseId, PayslipId, PlacementId, UserId};

/// The tables a journey writes, which other rows of it refer to.
pub(super) const JOURNEY_TABLES: [&str; 6] =
    ["placements", "contracts", "cases", "payslips", "worker_returns", "placement_events"];

/// One move of a placement: the action, when, by whom, and the note its timeline shows.
struct Move {
    action: Action,
    at: DateTime<Utc>,
    by: Option<UserId>,
    note: Option<String>,
}

impl Move {
    fn new(action: Action, at: DateTime<Utc>, by: Option<UserId>, note: Option<String>) -> Move {
        Move { action, at, by, note }
    }
}

impl Loader {
    /// The last season's placements, batch by batch of vacancies, each batch written in the
    /// order its foreign keys need.
    pub(super) fn write_journeys(&mut self, conn: &mut DbConnection) -> Result<(), AppError> {
        let mut first_seat = 0;
        for batch in 0..self.size.past_vacancies.div_ceil(VACANCIES_PER_BATCH) {
            let last_job = ((batch + 1) * VACANCIES_PER_BATCH).min(self.size.past_vacancies);
            let end = first_seat + self.seats[first_seat..].iter().take_while(|s| s.job < last_job).count();
            let mut rows = Rows::default();
            for s in first_seat..end {
                self.journey_rows(s, &mut rows)?;
            }
            first_seat = end;
            rows.write(conn, &mut self.report)?;
            // Once the tables have grown a little, and again later, their plans are made anew.
            if batch == 0 || batch == 3 {
                bulk::analyze(conn, &JOURNEY_TABLES)?;
            }
        }
        Ok(())
    }

    /// Every row of one seat: the placement, its timeline, contract, acceptance, permit,
    /// crossings, return, alert, payslips, findings and cases.
    fn journey_rows(&mut self, s: usize, rows: &mut Rows) -> Result<(), AppError> {
        let seat = &self.seats[s];
        let (fate, journey, offered, answered) = (seat.fate, seat.journey, seat.offered, seat.answered);
        let (lang, activated) = (seat.lang, seat.activated);
        let worker_user = seat.account.clone().ok_or_else(|| internal("a worker's account"))?;
        let job = &self.jobs[seat.job];
        let person = &self.people[seat.person];
        let agency_user = self.agencies[person.agency].user.clone();
        let employer = &self.employers[job.employer];
        let (employer_id, employer_user) = (employer.id.clone(), employer.user.clone());
        let (vacancy_id, worker_id) = (job.record.id.clone(), person.id.clone());
        let (season_start, season_end) = (job.record.season_start, job.record.season_end);
        let (crossing_code, region) = (job.record.crossing_code.clone(), job.record.region_code.clone());
        let holder = (person.worker.full_name.clone(), person.worker.date_of_birth);

        let id = PlacementId::from(self.draw.id(offered));
        let terms = self.terms(&id, s);
        rows.contracts.push(ContractRow {
            placement_id: id.clone(),
            version: 1,
            terms: terms.canonical(),
            sha256: terms.sha256(),
            created_at: naive(offered),
        });

        // The timeline, every move as the state machine allows it.
        let mut steps: Vec<Move> = Vec::new();
        if fate == Fate::Declined {
            steps.push(Move::new(
                Action::Decline,
                answered,
                Some(worker_user.clone()),
                Some("Gia đình cần tôi ở nhà mùa này.".into()),
            ));
        } else {
            steps.push(Move::new(Action::Accept, answered, Some(worker_user.clone()), None));
        }
        if let Some(at) = journey.permit_issued {
            steps.push(Move::new(Action::IssuePermit, at, Some(self.cn.user_id.clone()), None));
        }
        if let Some(at) = journey.withdrawn {
            steps.push(Move::new(
                Action::Withdraw,
                at,
                Some(agency_user.clone()),
                Some("The worker fell ill before departure.".into()),
            ));
        }
        if let Some(departed) = journey.departed {
            steps.push(Move::new(Action::Depart, departed.recorded, Some(agency_user.clone()), None));
        }
        if let Some((action, at)) = journey.finished {
            let note = (action == Action::Terminate)
                .then(|| "The worker hurt its hand; sent home with its pay settled.".to_owned());
            steps.push(Move::new(action, at, Some(employer_user.clone()), note));
        }
        let valid_until = season_end + Duration::days(RULES.permit_grace_days);
        if let Some(at) = journey.overstayed {
            steps.push(Move::new(
                Action::Overstay,
                at,
                None,
                Some(format!("permit expired on {valid_until}; no return recorded")),
            ));
        }
        if let Some(returned) = journey.returned {
            let late = journey.overstayed.is_some() || returned.at.date_naive() > valid_until;
            steps.push(Move::new(
                Action::Return { late },
                returned.recorded,
                Some(agency_user.clone()),
                None,
            ));
        }
        rows.events.push(EventRow {
            id: self.draw.id(offered),
            placement_id: id.clone(),
            from_status: None,
            to_status: Status::Offered.as_str().to_owned(),
            by_user_id: Some(agency_user.clone()),
            note: None,
            at: naive(offered),
        });
        let mut status = Status::Offered;
        let mut updated = offered;
        for Move { action, at, by, note } in steps {
            let to = next(status, action)
                .ok_or_else(|| internal(format!("{} from {}", action.name(), status.as_str())))?;
            rows.events.push(EventRow {
                id: self.draw.id(at),
                placement_id: id.clone(),
                from_status: Some(status.as_str().to_owned()),
                to_status: to.as_str().to_owned(),
                by_user_id: by,
                note,
                at: naive(at),
            });
            (status, updated) = (to, at);
        }
        rows.placements.push(PlacementRow {
            id: id.clone(),
            vacancy_id,
            worker_id: worker_id.clone(),
            agency_id: self.agencies[self.people[self.seats[s].person].agency].id.clone(),
            employer_id: employer_id.clone(),
            status: status.as_str().to_owned(),
            contract_version: 1,
            created_at: naive(offered),
            updated_at: naive(updated),
            first_accepted_at: (fate != Fate::Declined).then(|| naive(answered)),
            first_accepted_version: (fate != Fate::Declined).then_some(1),
            agreed_hourly_fen: (fate != Fate::Declined).then_some(terms.hourly_equivalent_fen),
            agreed_floor_hourly_fen: (fate != Fate::Declined).then_some(terms.floor.hourly_fen),
        });
        if fate == Fate::Declined {
            return Ok(());
        }

        rows.acceptances.push(AcceptanceRow {
            id: self.draw.id(answered),
            placement_id: id.clone(),
            version: 1,
            sha256: terms.sha256(),
            language: lang.to_owned(),
            by_user_id: worker_user,
            accepted_at: naive(answered),
            auth_method: Some("activation".to_owned()),
            authenticated_at: Some(naive(activated)),
        });
        let issued = journey.permit_issued.ok_or_else(|| internal("a permit"))?;
        let insurance = terms.insurance.as_ref().ok_or_else(|| internal("an insurance"))?;
        rows.insurance_checks.push(InsuranceCheckRow {
            placement_id: id.clone(),
            insurance_sha256: insurance.sha256(),
            verified_by: self.cn.user_id.clone(),
            verified_at: naive(issued - Duration::minutes(20)),
        });
        rows.orientations.push(OrientationRow {
            placement_id: id.clone(),
            attended_on: china_day(issued),
            place: crate::demo::ORIENTATION_PLACE.to_owned(),
            recorded_by: agency_user.clone(),
            recorded_at: naive(issued + Duration::hours(2)),
        });
        rows.permits.push(PermitRow {
            number: format!("SL-{}-{}", season_start.format("%Y"), self.draw.code(8)),
            placement_id: id.clone(),
            check_code: self.draw.code(6),
            valid_from: season_start,
            valid_until,
            status: if journey.withdrawn.is_some() { "revoked" } else { "valid" }.to_owned(),
            issued_by: self.cn.user_id.clone(),
            issued_at: naive(issued),
            revoked_by: journey.withdrawn.map(|_| agency_user.clone()),
            revoked_at: journey.withdrawn.map(naive),
            revoked_reason: journey.withdrawn.map(|_| "placement withdrawn".to_owned()),
            holder_name: Some(holder.0),
            holder_date_of_birth: Some(holder.1),
        });
        let Some(departed) = journey.departed else { return Ok(()) };
        for (kind, crossed) in [("departure", Some(departed)), ("return", journey.returned)] {
            let Some(crossed) = crossed else { continue };
            rows.crossings.push(BorderEventRow {
                id: self.draw.id(crossed.recorded),
                placement_id: id.clone(),
                kind: kind.to_owned(),
                crossing_code: crossing_code.clone(),
                at: naive(crossed.at),
                recorded_by: agency_user.clone(),
                recorded_at: naive(crossed.recorded),
            });
        }
        if let Some(returned) = journey.returned {
            let day = china_day(returned.at);
            rows.returns.push(ReturnRow {
                id: self.draw.id(returned.recorded),
                worker_id: worker_id.clone(),
                placement_id: Some(id.clone()),
                employer_id: Some(employer_id.clone()),
                season_start,
                season_end,
                returned_on: Some(day),
                returned_on_time: journey.overstayed.is_none() && day <= valid_until,
                recorded_at: naive(returned.recorded),
            });
        }
        if let Some(at) = journey.overstayed {
            rows.alerts.push(AlertRow {
                id: self.draw.id(at),
                kind: "overstay".to_owned(),
                placement_id: id.clone(),
                raised_at: naive(at),
            });
        }
        let (action, finished) = journey.finished.ok_or_else(|| internal("the season's end"))?;
        let paid_minutes =
            self.payslips(s, &id, &terms, (china_day(departed.at), china_day(finished)), rows)?;
        // When the work ends the hours guarantee is checked: over the season at its end,
        // pro-rated to the days before an early end.
        let season_days = (terms.season_end - terms.season_start).num_days() + 1;
        let offered_days = match action {
            Action::Terminate => (china_day(finished) - terms.season_start).num_days() + 1,
            _ => season_days,
        };
        let required =
            payslip::minimum_paid_minutes_over(terms.guaranteed_hours_season, offered_days, season_days);
        if let Some(short) = payslip::hours_shortfall(required, paid_minutes, terms.hourly_equivalent_fen)
            .map_err(|_| internal("hours owed"))?
        {
            let case = self.case(
                CaseKind::Hours,
                (SubjectKind::Employer, Some(employer_id.to_string())),
                Some(region),
                Some(id.clone()),
                short.owed_fen,
                finished,
                (true, "The employer paid the guaranteed hours it had not offered."),
            );
            rows.findings.push(finding_row(self.draw.id(finished), &case.id, None, &id, &short, finished));
            rows.cases.push(case);
        }
        Ok(())
    }

    /// The payslips of a departed seat, twice a month over the days it worked, each checked
    /// as the compliance service checks one (a finding opens a wage case); returns the
    /// minutes paid.
    fn payslips(
        &mut self,
        s: usize,
        placement_id: &PlacementId,
        terms: &Terms,
        (first, last): (NaiveDate, NaiveDate),
        rows: &mut Rows,
    ) -> Result<i64, AppError> {
        let seat = &self.seats[s];
        let fate = seat.fate;
        let job = &self.jobs[seat.job];
        let employer = &self.employers[job.employer];
        let (employer_id, employer_user) = (employer.id.clone(), employer.user.clone());
        let floor = job.floor.hourly_fen;
        let region = job.record.region_code.clone();
        let overflow = || internal("pay too large to work out");
        let periods = half_months(first, last);
        let faulty = matches!(fate, Fate::BelowFloor | Fate::NotInContract)
            .then(|| periods.len().min(2).saturating_sub(1));
        let contract_rate = terms.hourly_equivalent_fen.max(terms.guaranteed_hourly_fen.unwrap_or(Fen::ZERO));
        let mut paid = 0;
        for (k, Period { start, end }) in periods.into_iter().enumerate() {
            let days = (end - start).num_days() + 1;
            let permille = if fate == Fate::HoursShort {
                self.draw.between(430, 520)
            } else {
                self.draw.between(970, 1030)
            };
            let minutes = days * i64::from(terms.hours_per_week) * 60 * permille / 7 / 1000;
            let is_faulty = faulty == Some(k);
            let rate = if is_faulty && fate == Fate::BelowFloor {
                floor.checked_sub(Fen::new(210)).ok_or_else(overflow)?
            } else if terms.pay_basis == PayBasis::Piece {
                contract_rate
                    .checked_mul(100 + self.draw.between(0, 25))
                    .and_then(|f| f.checked_div(100))
                    .ok_or_else(overflow)?
            } else {
                contract_rate
            };
            let gross = rate
                .checked_mul(minutes)
                .and_then(|f| f.checked_add(Fen::new(59)))
                .and_then(|f| f.checked_div(60))
                .ok_or_else(overflow)?;
            // While work was short the employer charged no meals.
            let mut deductions: Vec<PayslipDeduction> = if fate == Fate::HoursShort {
                Vec::new()
            } else {
                terms
                    .deductions
                    .iter()
                    .map(|d| {
                        let fen = d.fen_per_month.checked_mul(days.min(30)).and_then(|f| f.checked_div(30));
                        fen.map(|fen| PayslipDeduction { kind: d.kind.clone(), fen }).ok_or_else(overflow)
                    })
                    .collect::<Result<_, _>>()?
            };
            if is_faulty && fate == Fate::NotInContract {
                deductions.push(PayslipDeduction { kind: "work clothes".into(), fen: Fen::new(6_000) });
            }
            let deducted = Fen::checked_sum(deductions.iter().map(|d| d.fen)).ok_or_else(overflow)?;
            let paid_on = end + Duration::days(5);
            let reported = china(paid_on, 16 * 60);
            let slip = Payslip {
                period_start: start,
                period_end: end,
                minutes_worked: minutes,
                gross_fen: gross,
                net_fen: gross.checked_sub(deducted).ok_or_else(overflow)?,
                deductions,
                paid_on,
            };
            slip.consistency((terms.season_start, terms.season_end), self.cal.today())
                .map_err(|e| internal(format!("{e:?}")))?;
            let found = slip.findings(terms, floor, RULES.pay()).map_err(|_| overflow())?;
            let id = PayslipId::from(self.draw.id(reported));
            let case_id = if found.is_empty() {
                None
            } else {
                let owed = Fen::checked_sum(found.iter().map(|f| f.owed_fen)).ok_or_else(overflow)?;
                let case = self.case(
                    CaseKind::Wage,
                    (SubjectKind::Employer, Some(employer_id.to_string())),
                    Some(region.clone()),
                    Some(placement_id.clone()),
                    owed,
                    reported,
                    (true, "The employer paid what the payslip fell short of."),
                );
                for f in &found {
                    rows.findings.push(finding_row(
                        self.draw.id(reported),
                        &case.id,
                        Some(&id),
                        placement_id,
                        f,
                        reported,
                    ));
                }
                let case_id = case.id.clone();
                rows.cases.push(case);
                Some(case_id)
            };
            for (position, d) in (0..).zip(&slip.deductions) {
                rows.payslip_deductions.push(PayslipDeductionRow {
                    payslip_id: id.clone(),
                    position,
                    kind: d.kind.clone(),
                    fen: d.fen,
                });
            }
            rows.payslips.push(PayslipRow {
                id,
                placement_id: placement_id.clone(),
                employer_id: employer_id.clone(),
                period_start: start,
                period_end: end,
                minutes_worked: minutes,
                gross_fen: gross,
                deductions_fen: deducted,
                net_fen: slip.net_fen,
                paid_on,
                floor_hourly_fen: floor,
                compliant: found.is_empty(),
                case_id,
                created_by: employer_user.clone(),
                created_at: naive(reported),
            });
            paid += minutes;
        }
        Ok(paid)
    }
}

/// A finding row as the compliance service stores one.
fn finding_row(
    id: String,
    case_id: &CaseId,
    payslip_id: Option<&PayslipId>,
    placement_id: &PlacementId,
    f: &Finding,
    at: DateTime<Utc>,
) -> FindingRow {
    FindingRow {
        id,
        case_id: case_id.clone(),
        payslip_id: payslip_id.cloned(),
        placement_id: Some(placement_id.clone()),
        code: f.code.clone(),
        required: f.required,
        actual: f.actual,
        owed_fen: f.owed_fen,
        created_at: naive(at),
    }
}

/// One batch's rows, written in the order their foreign keys need.
#[derive(Default)]
struct Rows {
    placements: Vec<PlacementRow>,
    events: Vec<EventRow>,
    contracts: Vec<ContractRow>,
    acceptances: Vec<AcceptanceRow>,
    permits: Vec<PermitRow>,
    insurance_checks: Vec<InsuranceCheckRow>,
    orientations: Vec<OrientationRow>,
    crossings: Vec<BorderEventRow>,
    returns: Vec<ReturnRow>,
    alerts: Vec<AlertRow>,
    cases: Vec<CaseRow>,
    payslips: Vec<PayslipRow>,
    payslip_deductions: Vec<PayslipDeductionRow>,
    findings: Vec<FindingRow>,
}

impl Rows {
    fn write(&self, conn: &mut DbConnection, report: &mut SeasonReport) -> Result<(), AppError> {
        report.placements += bulk::write(conn, &self.placements)?;
        report.placement_events += bulk::write(conn, &self.events)?;
        report.contracts += bulk::write(conn, &self.contracts)?;
        report.acceptances += bulk::write(conn, &self.acceptances)?;
        report.permits += bulk::write(conn, &self.permits)?;
        bulk::write(conn, &self.insurance_checks)?;
        bulk::write(conn, &self.orientations)?;
        report.crossings += bulk::write(conn, &self.crossings)?;
        report.returns += bulk::write(conn, &self.returns)?;
        report.alerts += bulk::write(conn, &self.alerts)?;
        report.cases += bulk::write(conn, &self.cases)?;
        report.payslips += bulk::write(conn, &self.payslips)?;
        report.payslip_deductions += bulk::write(conn, &self.payslip_deductions)?;
        report.findings += bulk::write(conn, &self.findings)?;
        Ok(())
    }
}
