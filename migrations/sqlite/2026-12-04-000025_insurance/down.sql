DROP TABLE insurance_checks;
DROP TABLE vacancy_insurance;
