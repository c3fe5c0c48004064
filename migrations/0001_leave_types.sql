-- Reference data: the ten leave types of the agency's manual (src/domain/leave-types.ts; a test keeps them equal).
INSERT INTO `leave_types` (`code`, `name`, `kind`, `needs_proof`, `planned`, `sort_order`) VALUES
	('sick', '病假', 'absence', 0, 0, 1),
	('personal', '事假', 'absence', 0, 1, 2),
	('official', '公假', 'absence', 1, 1, 3),
	('absent', '曠課', 'absence', 0, 0, 4),
	('bereavement', '喪假', 'absence', 1, 0, 5),
	('late', '遲到', 'late', 0, 0, 6),
	('missed_punch', '未打卡', 'missed_punch', 0, 0, 7),
	('quarantine', '防疫隔離假', 'absence', 1, 0, 8),
	('covid_test', '核酸檢測假', 'absence', 1, 0, 9),
	('vaccination', '疫苗接種假', 'absence', 1, 1, 10)
ON CONFLICT (`code`) DO NOTHING;
