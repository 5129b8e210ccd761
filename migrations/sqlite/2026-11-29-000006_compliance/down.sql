DROP TABLE complaints;
DROP TABLE fee_reports;
DROP TABLE findings;
DROP TABLE payslip_deductions;
DROP TABLE payslips;
DROP TABLE case_notes;
DROP TABLE cases;
