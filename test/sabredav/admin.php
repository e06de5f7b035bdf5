<?php
// Command-line administration of the test SabreDAV's SQLite database, run by test/helpers/sabredav.ts:
//   php admin.php init          creates the schema, the user and its principal (with the proxy principals 1.8 expects)
//   php admin.php set-password  replaces the user's digesta1
// Everything comes from the environment (SABREDAV_DB, SABREDAV_USER, SABREDAV_PASSWORD, SABREDAV_REALM).

$pdo = new PDO('sqlite:' . getenv('SABREDAV_DB'));
$pdo->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION);
$user = getenv('SABREDAV_USER');
// What SabreDAV's PDO auth backend (and Baïkal) store: the Digest A1 hash, usable for Basic too.
$digesta1 = md5($user . ':' . getenv('SABREDAV_REALM') . ':' . getenv('SABREDAV_PASSWORD'));

switch ($argv[1] ?? '') {
    case 'init':
        $pdo->exec(file_get_contents(__DIR__ . '/schema.sql'));
        $pdo->prepare('INSERT INTO users (username, digesta1) VALUES (?, ?)')->execute([$user, $digesta1]);
        $principal = $pdo->prepare('INSERT INTO principals (uri, email, displayname) VALUES (?, ?, ?)');
        $principal->execute(["principals/$user", "$user@example.org", ucfirst($user)]);
        $principal->execute(["principals/$user/calendar-proxy-read", null, null]);
        $principal->execute(["principals/$user/calendar-proxy-write", null, null]);
        break;
    case 'set-password':
        $pdo->prepare('UPDATE users SET digesta1 = ? WHERE username = ?')->execute([$digesta1, $user]);
        break;
    default:
        fwrite(STDERR, "usage: php admin.php init|set-password\n");
        exit(2);
}
