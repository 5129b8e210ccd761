DROP TABLE pay_gaps;
